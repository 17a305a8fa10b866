import math

import torch


def betas_for_alpha_bar(num_diffusion_timesteps, max_beta=0.999, dtype=torch.float64):
    def alpha_bar_fn(t):
        return math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2

    betas = []
    for i in range(num_diffusion_timesteps):
        t1 = i / num_diffusion_timesteps
        t2 = (i + 1) / num_diffusion_timesteps
        betas.append(min(1 - alpha_bar_fn(t2) / alpha_bar_fn(t1), max_beta))
    return torch.tensor(betas, dtype=dtype)  # diffusers: dtype=torch.float32


def make_beta_schedule(kind, T, dtype=torch.float64):
    beta_start, beta_end = 0.0001, 0.02
    if kind == "linear":
        betas = torch.linspace(beta_start, beta_end, T, dtype=torch.float64)
    elif kind == "cosine":
        betas = betas_for_alpha_bar(T)
    else:
        raise ValueError(f"{kind} is not implemented: use 'linear' or 'cosine'")
    return betas.to(dtype)
