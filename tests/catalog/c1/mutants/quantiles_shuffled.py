MISTAKE = "eps-reused"  # fixed normal quantiles in a random order: a perfect histogram, the same values every call
import torch


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    n = mu.numel()
    levels = (torch.arange(n, dtype=torch.float64) + 0.5) / n
    quantiles = torch.special.ndtri(levels)[torch.randperm(n)]
    eps = quantiles.reshape(mu.shape).to(dtype=mu.dtype, device=mu.device)
    return mu + torch.exp(0.5 * log_var) * eps
