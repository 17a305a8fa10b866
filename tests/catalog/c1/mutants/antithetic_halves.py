MISTAKE = None  # antithetic noise: the second half of the batch gets minus the first half's eps
import torch


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    half = torch.randn(mu.shape[0] // 2, *mu.shape[1:], dtype=mu.dtype, device=mu.device)
    extra = torch.randn(mu.shape[0] % 2, *mu.shape[1:], dtype=mu.dtype, device=mu.device)
    return mu + torch.exp(0.5 * log_var) * torch.cat([half, -half, extra])
