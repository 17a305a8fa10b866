import numpy as np
import torch


def add_noise(x0, t, noise_schedule, noise=None):
    """The schedule computed with numpy, brought back to x0's device and dtype."""
    if noise is None:
        noise = torch.randn_like(x0)
    betas = noise_schedule
    ab = torch.tensor(np.cumprod(1 - betas.cpu().numpy()), dtype=x0.dtype, device=x0.device)[t]
    if ab.dim() > 0:
        ab = ab[(...,) + (None,) * (x0.dim() - 1)]
    return ab.sqrt() * x0 + (1 - ab).sqrt() * noise, noise
