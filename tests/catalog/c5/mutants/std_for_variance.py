MISTAKE = "std-for-variance"
import torch


def vae_kl_loss(mu, log_var):
    sigma = torch.exp(0.5 * log_var)
    return 0.5 * (mu**2 + sigma - 1 - log_var).flatten(1).sum(1).mean()
