MISTAKE = "no-noise"
import torch


def reparameterize(mu, log_var, training=True):
    if training:
        return mu
    return mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
