MISTAKE = "broadcast-wrong-dim"
import torch


def add_noise(x0, t, noise_schedule, noise=None):
    if noise is None:
        noise = torch.randn_like(x0)
    alpha_bar = torch.cumprod(1 - noise_schedule, 0)[t]
    return torch.sqrt(alpha_bar) * x0 + torch.sqrt(1 - alpha_bar) * noise, noise
