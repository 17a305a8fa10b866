"""Reference solution of exercise c11."""

import math

import torch

COSINE_OFFSET = 0.008
MAX_BETA = 0.999


def make_beta_schedule(kind, T, dtype=torch.float64):
    """Linear betas from 1e-4 to 0.02, or the cosine schedule's betas clipped at 0.999."""
    if kind == "linear":
        return torch.linspace(1e-4, 0.02, T, dtype=torch.float64).to(dtype)
    if kind == "cosine":
        u = torch.arange(T + 1, dtype=torch.float64)
        f = torch.cos((u / T + COSINE_OFFSET) / (1 + COSINE_OFFSET) * math.pi / 2) ** 2
        alpha_bar = f / f[0]
        return (1 - alpha_bar[1:] / alpha_bar[:-1]).clamp(max=MAX_BETA).to(dtype)
    raise ValueError(f"unknown schedule kind {kind!r}: expected 'linear' or 'cosine'")
