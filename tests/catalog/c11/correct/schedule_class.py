"""A scheduler object (diffusers-like attributes) turned into the function: betas built in float64 at construction, torch.where for the clip."""
import math

import torch


class NoiseScheduler:
    def __init__(self, num_train_timesteps, beta_schedule="linear", beta_start=1e-4, beta_end=0.02):
        T = num_train_timesteps
        if beta_schedule == "linear":
            self.betas = torch.linspace(beta_start, beta_end, T, dtype=torch.float64)
        elif beta_schedule == "cosine":
            t = torch.linspace(0, 1, T + 1, dtype=torch.float64)
            f = torch.cos((t + 0.008) / (1 + 0.008) * (math.pi / 2)) ** 2
            raw = 1 - f[1:] / f[:-1]
            self.betas = torch.where(raw > 0.999, torch.full_like(raw, 0.999), raw)
        else:
            raise ValueError(f"{beta_schedule} is not implemented (use 'linear' or 'cosine')")
        self.alphas = 1.0 - self.betas
        self.alphas_cumprod = torch.cumprod(self.alphas, dim=0)


def make_beta_schedule(kind, T, dtype=torch.float64):
    return NoiseScheduler(T, beta_schedule=kind).betas.to(dtype)
