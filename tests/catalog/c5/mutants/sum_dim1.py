MISTAKE = "sum-one-dim-only"
import torch


def vae_kl_loss(mu, log_var):
    return (0.5 * (mu**2 + log_var.exp() - 1 - log_var)).sum(dim=1).mean()
