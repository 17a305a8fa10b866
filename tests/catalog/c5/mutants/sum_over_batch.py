MISTAKE = "sum-over-batch"
import torch


def vae_kl_loss(mu, log_var):
    return 0.5 * torch.sum(mu**2 + torch.exp(log_var) - 1 - log_var)
