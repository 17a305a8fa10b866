import torch


def vae_kl_loss(mu, log_var):
    dims = list(range(1, mu.dim()))
    kld = -0.5 * torch.sum(1 + log_var - mu.pow(2) - log_var.exp(), dim=dims)
    return torch.mean(kld, dim=0)
