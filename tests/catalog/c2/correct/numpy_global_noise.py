# numpy's global generator for the noise (seeded with torch's global seed by the checks).
import numpy as np
import torch


def add_noise(x0, t, noise_schedule, noise=None):
    if noise is None:
        noise = torch.tensor(np.random.randn(*x0.shape), dtype=x0.dtype, device=x0.device)
    a = torch.cumprod(1 - noise_schedule, 0)[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return a.sqrt() * x0 + (1 - a).sqrt() * noise, noise
