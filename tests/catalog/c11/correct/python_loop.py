import math

import torch


def make_beta_schedule(kind, T, dtype=torch.float64):
    match kind:
        case "linear":
            betas = [0.0001 + (0.02 - 0.0001) * i / (T - 1) for i in range(T)]
        case "cosine":
            s = 0.008
            f = [math.cos(((u / T) + s) / (1 + s) * math.pi / 2) ** 2 for u in range(T + 1)]
            betas = [min(1 - f[u] / f[u - 1], 0.999) for u in range(1, T + 1)]
        case _:
            raise ValueError("kind must be 'linear' or 'cosine'")
    return torch.tensor(betas, dtype=torch.float64).to(dtype)
