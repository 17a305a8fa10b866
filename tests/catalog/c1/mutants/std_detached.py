MISTAKE = "std-detached"
import torch


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    std = torch.exp(0.5 * log_var).detach()
    return mu + std * torch.randn_like(mu)
