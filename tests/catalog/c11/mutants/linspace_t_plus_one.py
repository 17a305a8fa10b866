MISTAKE = "endpoint-excluded"
import math

import torch


def make_beta_schedule(kind, T, dtype=torch.float64):
    if kind == "linear":
        return torch.linspace(1e-4, 0.02, T + 1, dtype=torch.float64)[1:].to(dtype)  # "T steps after the start"
    if kind == "cosine":
        x = torch.linspace(0, T, T + 1, dtype=torch.float64)
        ab = torch.cos(((x / T) + 0.008) / 1.008 * math.pi * 0.5) ** 2
        ab = ab / ab[0]
        return torch.clip(1 - ab[1:] / ab[:-1], 0, 0.999).to(dtype)
    raise ValueError("kind must be 'linear' or 'cosine'")
