import math

import torch


def linear_beta_schedule(timesteps):
    # lucidrains' version rescales by 1000 / timesteps; the contract keeps Ho et al.'s betas
    beta_start = 0.0001
    beta_end = 0.02
    return torch.linspace(beta_start, beta_end, timesteps, dtype=torch.float64)


def cosine_beta_schedule(timesteps, s=0.008):
    steps = timesteps + 1
    x = torch.linspace(0, timesteps, steps, dtype=torch.float64)
    alphas_cumprod = torch.cos(((x / timesteps) + s) / (1 + s) * math.pi * 0.5) ** 2
    alphas_cumprod = alphas_cumprod / alphas_cumprod[0]
    betas = 1 - (alphas_cumprod[1:] / alphas_cumprod[:-1])
    return torch.clip(betas, 0, 0.999)


def make_beta_schedule(kind, T, dtype=torch.float64):
    if kind == "linear":
        betas = linear_beta_schedule(T)
    elif kind == "cosine":
        betas = cosine_beta_schedule(T)
    else:
        raise ValueError(f"unknown beta schedule {kind}; choose 'linear' or 'cosine'")
    return betas.to(dtype)
