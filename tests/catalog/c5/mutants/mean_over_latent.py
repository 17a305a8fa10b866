MISTAKE = "mean-over-latent"
import torch


def vae_kl_loss(mu, log_var):
    return 0.5 * torch.mean(mu**2 + torch.exp(log_var) - 1 - log_var)
