MISTAKE = "one-minus-cumprod-betas"
import torch


def add_noise(x0, t, noise_schedule, noise=None):
    if noise is None:
        noise = torch.randn_like(x0)
    alpha_bar = 1 - torch.cumprod(noise_schedule, dim=0)
    a = alpha_bar[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return a.sqrt() * x0 + (1 - a).sqrt() * noise, noise
