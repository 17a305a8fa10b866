import math

import torch


def add_noise(x0, t, noise_schedule, noise=None):
    if noise is None:
        noise = torch.randn(x0.shape, dtype=x0.dtype, device=x0.device)
    alpha_bar = torch.cumprod(1 - noise_schedule, dim=0)
    if isinstance(t, int):
        ab = alpha_bar[t]
    else:
        ab = alpha_bar[t]
        while ab.dim() < x0.dim():
            ab = ab.unsqueeze(-1)
    x_t = ab ** 0.5 * x0 + (1 - ab) ** 0.5 * noise
    return x_t, noise
