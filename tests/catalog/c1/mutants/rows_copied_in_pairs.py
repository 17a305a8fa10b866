MISTAKE = None  # half the randomness: every row of eps appears twice, at random places in the batch
import torch


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    half = torch.randn((mu.shape[0] + 1) // 2, *mu.shape[1:], dtype=mu.dtype, device=mu.device)
    eps = torch.cat([half, half])[torch.randperm(2 * len(half), device=mu.device)[:mu.shape[0]]]
    return mu + torch.exp(0.5 * log_var) * eps
