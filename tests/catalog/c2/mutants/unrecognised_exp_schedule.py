"""A wrong formula no known mistake describes (alpha_bar approximated by exp(-sum of betas)):
the feedback must say what it saw, and guess nothing."""
MISTAKE = None
import torch


def add_noise(x0, t, noise_schedule, noise=None):
    if noise is None:
        noise = torch.randn_like(x0)
    a = torch.exp(-torch.cumsum(noise_schedule, 0))[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return a.sqrt() * x0 + (1 - a).sqrt() * noise, noise
