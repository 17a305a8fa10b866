MISTAKE = "no-return"
import torch


def add_noise(x0, t, noise_schedule, noise=None):
    if noise is None:
        noise = torch.randn_like(x0)
    a = torch.cumprod(1 - noise_schedule, 0)[t].reshape(-1, *([1] * (x0.dim() - 1)))
    x_t = a.sqrt() * x0 + (1 - a).sqrt() * noise  # computed, never returned
