MISTAKE = "training-ignored"
import torch


def reparameterize(mu, log_var, training=True):
    std = torch.exp(0.5 * log_var)
    return mu + std * torch.randn_like(std)
