import torch
from torch.func import vmap


def _one(mu, log_var):
    return mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    return vmap(_one, randomness="different")(mu, log_var)  # one sample at a time, fresh noise for each
