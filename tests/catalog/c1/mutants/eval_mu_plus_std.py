MISTAKE = None  # training=False returns mu + std: no noise, but not mu either
import torch


def reparameterize(mu, log_var, training=True):
    std = torch.exp(0.5 * log_var)
    if not training:
        return mu + std
    return mu + std * torch.randn_like(std)
