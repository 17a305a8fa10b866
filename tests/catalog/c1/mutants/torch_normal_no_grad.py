MISTAKE = "no-reparam-gradient"
import torch


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    return torch.normal(mu, torch.exp(0.5 * log_var))
