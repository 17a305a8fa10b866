MISTAKE = "linear-rescaled"
import math

import torch


def make_beta_schedule(kind, T, dtype=torch.float64):
    if kind == "linear":
        scale = 1000 / T  # lucidrains' linear_beta_schedule
        return torch.linspace(scale * 0.0001, scale * 0.02, T, dtype=torch.float64).to(dtype)
    if kind == "cosine":
        x = torch.linspace(0, T, T + 1, dtype=torch.float64)
        ab = torch.cos(((x / T) + 0.008) / 1.008 * math.pi * 0.5) ** 2
        ab = ab / ab[0]
        return torch.clip(1 - ab[1:] / ab[:-1], 0, 0.999).to(dtype)
    raise ValueError("kind must be 'linear' or 'cosine'")
