MISTAKE = "cosine-alpha-bar-as-beta"
import math

import torch


def make_beta_schedule(kind, T, dtype=torch.float64):
    if kind == "linear":
        return torch.linspace(1e-4, 0.02, T, dtype=torch.float64).to(dtype)
    if kind == "cosine":
        u = torch.arange(1, T + 1, dtype=torch.float64)
        f = lambda v: torch.cos((v / T + 0.008) / 1.008 * math.pi / 2) ** 2  # noqa: E731
        alpha_bar = f(u) / f(torch.zeros((), dtype=torch.float64))
        return (1 - alpha_bar).clamp(max=0.999).to(dtype)
    raise ValueError("kind must be 'linear' or 'cosine'")
