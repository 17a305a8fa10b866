MISTAKE = "modifies-input"
import torch


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    eps = torch.randn_like(mu)
    return mu.add_(torch.exp(0.5 * log_var) * eps)
