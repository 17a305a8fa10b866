"""Scales the noise by half the standard deviation: a mistake no misconception describes."""
MISTAKE = None
import torch


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    return mu + 0.5 * torch.exp(0.5 * log_var) * torch.randn_like(mu)
