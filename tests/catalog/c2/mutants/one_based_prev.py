MISTAKE = "one-based-t"
import torch
import torch.nn.functional as F


def add_noise(x0, t, noise_schedule, noise=None):
    """Uses the 'previous' cumulative product (1 at t = 0), as if t counted from 1."""
    if noise is None:
        noise = torch.randn_like(x0)
    alphas_cumprod = torch.cumprod(1.0 - noise_schedule, dim=0)
    alphas_cumprod_prev = F.pad(alphas_cumprod[:-1], (1, 0), value=1.0)
    a = alphas_cumprod_prev[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return a.sqrt() * x0 + (1 - a).sqrt() * noise, noise
