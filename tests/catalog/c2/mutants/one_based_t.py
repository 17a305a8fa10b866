MISTAKE = "one-based-t"
import torch


def add_noise(x0, t, noise_schedule, noise=None):
    if noise is None:
        noise = torch.randn_like(x0)
    alpha_bar = torch.cumprod(1 - noise_schedule, dim=0)[t - 1]  # "t starts at 1"
    alpha_bar = alpha_bar.reshape(-1, *([1] * (x0.dim() - 1)))
    return alpha_bar.sqrt() * x0 + (1 - alpha_bar).sqrt() * noise, noise
