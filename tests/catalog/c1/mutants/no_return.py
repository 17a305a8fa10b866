MISTAKE = "no-return"
import torch


def reparameterize(mu, log_var, training=True):
    z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu) if training else mu  # never returned
