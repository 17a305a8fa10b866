MISTAKE = "eps-uniform"
import torch


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    return mu + torch.exp(0.5 * log_var) * torch.rand_like(mu)
