MISTAKE = "modifies-input"
import torch


def vae_kl_loss(mu, log_var):
    mu = mu.pow_(2) if not mu.requires_grad else mu**2  # squares mu in place
    return 0.5 * (mu + log_var.exp() - 1 - log_var).flatten(1).sum(1).mean()
