MISTAKE = "sign-error"
import torch


def vae_kl_loss(mu, log_var):
    return 0.5 * torch.sum(1 + log_var - mu.pow(2) - log_var.exp(), dim=tuple(range(1, mu.dim()))).mean()
