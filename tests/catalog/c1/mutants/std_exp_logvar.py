MISTAKE = "std-exp-logvar"
import torch


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    std = torch.exp(log_var)
    return mu + std * torch.randn_like(mu)
