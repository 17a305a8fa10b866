MISTAKE = "noise-not-standard"  # noise truncated to +-2.3 sigma: the tails are missing
import torch


def add_noise(x0, t, noise_schedule, noise=None):
    if noise is None:
        noise = torch.nn.init.trunc_normal_(torch.empty_like(x0), a=-2.3, b=2.3)
    a = torch.cumprod(1 - noise_schedule, 0)[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return a.sqrt() * x0 + (1 - a).sqrt() * noise, noise
