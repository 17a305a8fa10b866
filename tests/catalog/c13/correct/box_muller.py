import math

import torch


def ddpm_reverse_step(eps_model, x_t, t, noise_schedule, noise=None):
    # the fresh normal made by Box-Muller from two torch.rand draws in float64
    alpha_bar = torch.cumprod(1 - noise_schedule, 0)
    beta = noise_schedule[t]
    eps = eps_model(x_t, torch.full((x_t.shape[0],), t, dtype=torch.long, device=x_t.device))
    mean = (x_t - beta / (1 - alpha_bar[t]).sqrt() * eps) / (1 - beta).sqrt()
    if t == 0:
        return mean
    if noise is None:
        u1, u2 = torch.rand((2, *x_t.shape), dtype=torch.float64, device=x_t.device)
        noise = (torch.sqrt(-2 * torch.log1p(-u1)) * torch.cos(2 * math.pi * u2)).to(x_t.dtype)
    return mean + beta.sqrt() * noise
