MISTAKE = "single-step"
import torch


def add_noise(x0, t, noise_schedule, noise=None):
    if noise is None:
        noise = torch.randn_like(x0)
    alpha = (1 - noise_schedule)[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return alpha.sqrt() * x0 + (1 - alpha).sqrt() * noise, noise
