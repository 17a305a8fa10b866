MISTAKE = None
import math

import torch


def _cosine(T):
    u = torch.arange(T + 1, dtype=torch.float64)
    f = torch.cos((u / T + 0.008) / 1.008 * math.pi / 2) ** 2
    return (1 - f[1:] / f[:-1]).clamp(max=0.999)


def make_beta_schedule(kind, T, dtype=torch.float64):
    makers = {"linear": lambda: torch.linspace(1e-4, 0.02, T, dtype=torch.float64), "cosine": lambda: _cosine(T)}
    return makers[kind]().to(dtype)  # an unknown kind raises KeyError
