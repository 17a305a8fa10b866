MISTAKE = "eps-shared-batch"
import torch


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    eps = torch.randn(mu.shape[1:], dtype=mu.dtype, device=mu.device)
    return mu + torch.exp(0.5 * log_var) * eps
