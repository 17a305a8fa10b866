"""The cosine as per-step alphas alpha_bar(u) / alpha_bar(u - 1) clipped from below at 0.001 (the same as beta <= 0.999); linear from an arange step."""
import math

import torch


def make_beta_schedule(kind, T, dtype=torch.float64):
    if kind == "linear":
        step = (0.02 - 1e-4) / (T - 1)
        betas = 1e-4 + step * torch.arange(T, dtype=torch.float64)
    elif kind == "cosine":
        u = torch.arange(T + 1, dtype=torch.float64) / T
        alphas_cumprod = torch.cos((u + 0.008) / 1.008 * math.pi / 2).pow(2)
        alphas = torch.clamp(alphas_cumprod[1:] / alphas_cumprod[:-1], min=0.001)
        betas = 1.0 - alphas
    else:
        raise ValueError(f"kind must be 'linear' or 'cosine', not {kind!r}")
    return betas.to(dtype)
