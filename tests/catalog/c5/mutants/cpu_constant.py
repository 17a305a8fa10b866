MISTAKE = "hard-coded-device"
import torch


def vae_kl_loss(mu, log_var):
    one = torch.ones(mu.shape, dtype=mu.dtype)
    return 0.5 * (mu**2 + log_var.exp() - one - log_var).flatten(1).sum(1).mean()
