MISTAKE = "cosine-clip-range"
import math

import numpy as np
import torch


def make_beta_schedule(kind, T, dtype=torch.float64):
    if kind == "linear":
        return torch.linspace(1e-4, 0.02, T, dtype=torch.float64).to(dtype)
    if kind == "cosine":
        x = np.linspace(0, T, T + 1)
        alphas_cumprod = np.cos(((x / T) + 0.008) / (1 + 0.008) * np.pi * 0.5) ** 2
        alphas_cumprod = alphas_cumprod / alphas_cumprod[0]
        betas = 1 - (alphas_cumprod[1:] / alphas_cumprod[:-1])
        return torch.from_numpy(np.clip(betas, 0.0001, 0.9999)).to(dtype)
    raise ValueError("kind must be 'linear' or 'cosine'")
