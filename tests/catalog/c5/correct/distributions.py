import torch
from torch.distributions import Normal, kl_divergence


def vae_kl_loss(mu, log_var):
    q = Normal(mu, torch.exp(0.5 * log_var))
    p = Normal(torch.zeros_like(mu), torch.ones_like(mu))
    return kl_divergence(q, p).reshape(mu.shape[0], -1).sum(dim=1).mean()
