import torch


def _kl_of_one(mu, log_var):
    return 0.5 * (mu.pow(2) + log_var.exp() - 1 - log_var).sum()


def vae_kl_loss(mu, log_var):
    return torch.vmap(_kl_of_one)(mu, log_var).mean()
