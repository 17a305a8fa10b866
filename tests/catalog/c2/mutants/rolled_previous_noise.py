MISTAKE = "noise-shared"  # a repeat call gets the previous call's noise rolled by one row: uncorrelated, not fresh
import torch

_last = {}


def add_noise(x0, t, noise_schedule, noise=None):
    if noise is None:
        key = (tuple(x0.shape), float(x0.detach().sum()))
        noise = _last[key].roll(1, 0) if key in _last else torch.randn_like(x0)
        _last[key] = noise
    a = torch.cumprod(1 - noise_schedule, 0)[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return a.sqrt() * x0 + (1 - a).sqrt() * noise, noise
