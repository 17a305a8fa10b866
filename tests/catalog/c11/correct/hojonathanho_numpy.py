"""hojonathanho/diffusion's get_beta_schedule (numpy, float64) for 'linear', with a vectorized numpy cosine and np.clip(a_max=0.999); its other kinds dropped."""
import numpy as np
import torch


def get_beta_schedule(beta_schedule, *, beta_start, beta_end, num_diffusion_timesteps):
    if beta_schedule == 'linear':
        betas = np.linspace(beta_start, beta_end, num_diffusion_timesteps, dtype=np.float64)
    elif beta_schedule == 'cosine':
        u = np.arange(num_diffusion_timesteps + 1, dtype=np.float64)
        f = np.cos((u / num_diffusion_timesteps + 0.008) / 1.008 * np.pi / 2) ** 2
        betas = np.clip(1.0 - f[1:] / f[:-1], a_min=None, a_max=0.999)
    else:
        raise ValueError(f"unknown beta_schedule {beta_schedule!r}: expected 'linear' or 'cosine'")
    assert betas.shape == (num_diffusion_timesteps,)
    return betas


def make_beta_schedule(kind, T, dtype=torch.float64):
    betas = get_beta_schedule(kind, beta_start=0.0001, beta_end=0.02, num_diffusion_timesteps=T)
    return torch.tensor(betas, dtype=dtype)
