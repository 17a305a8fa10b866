"""Reference solution of exercise c2."""

import torch


def add_noise(x0, t, noise_schedule, noise=None):
    """x_t = sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) noise, per sample."""
    if noise is None:
        noise = torch.randn_like(x0)
    alpha_bar = torch.cumprod(1 - noise_schedule, dim=0)[t]
    alpha_bar = alpha_bar.reshape(-1, *([1] * (x0.dim() - 1)))  # one value per sample, broadcast over the rest
    return alpha_bar.sqrt() * x0 + (1 - alpha_bar).sqrt() * noise, noise
