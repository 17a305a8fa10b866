MISTAKE = "reversed-kl"
import torch


def vae_kl_loss(mu, log_var):
    var = log_var.exp()
    return 0.5 * (log_var + (1 + mu**2) / var - 1).flatten(1).sum(1).mean()
