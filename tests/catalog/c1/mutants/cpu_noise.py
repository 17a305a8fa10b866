MISTAKE = "hard-coded-device"
import torch


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    eps = torch.randn(mu.shape).to(mu.dtype)
    return mu + torch.exp(0.5 * log_var) * eps
