MISTAKE = "returned-noise-not-used"
import torch


def add_noise(x0, t, noise_schedule, noise=None):
    a = torch.cumprod(1 - noise_schedule, 0)[t].reshape(-1, *([1] * (x0.dim() - 1)))
    if noise is None:
        x_t = a.sqrt() * x0 + (1 - a).sqrt() * torch.randn_like(x0)
        return x_t, torch.randn_like(x0)  # a second, different draw
    return a.sqrt() * x0 + (1 - a).sqrt() * noise, noise
