"""The cosine's f evaluated at T points (linspace(0, T, T)), not T + 1: T - 1 betas, on a stretched grid."""
MISTAKE = None
import math

import torch


def make_beta_schedule(kind, T, dtype=torch.float64):
    if kind == "linear":
        betas = torch.linspace(1e-4, 0.02, T, dtype=torch.float64)
    elif kind == "cosine":
        x = torch.linspace(0, T, T, dtype=torch.float64)
        f = torch.cos((x / T + 0.008) / 1.008 * math.pi / 2) ** 2
        betas = torch.clip(1 - f[1:] / f[:-1], 0, 0.999)
    else:
        raise ValueError("kind must be 'linear' or 'cosine'")
    return betas.to(dtype)
