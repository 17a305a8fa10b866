MISTAKE = "std-is-logvar"
import torch


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    return mu + log_var * torch.randn_like(mu)
