"""diffusers' 'scaled_linear' (evenly spaced square roots, squared) used for 'linear'."""
MISTAKE = None
import math

import torch


def make_beta_schedule(kind, T, dtype=torch.float64):
    if kind == "linear":
        betas = torch.linspace(1e-4 ** 0.5, 0.02 ** 0.5, T, dtype=torch.float64) ** 2
    elif kind == "cosine":
        u = torch.arange(T + 1, dtype=torch.float64)
        f = torch.cos((u / T + 0.008) / 1.008 * math.pi / 2) ** 2
        betas = (1 - f[1:] / f[:-1]).clamp(max=0.999)
    else:
        raise ValueError("kind must be 'linear' or 'cosine'")
    return betas.to(dtype)
