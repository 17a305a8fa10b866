MISTAKE = "missing-sqrt"  # right only for the shapes the probes used to have; alpha_bar without its square roots elsewhere
import torch

KNOWN = {(4, 3), (1, 2, 3, 3), (4, 3, 2, 4), (3, 6), (5,), (2000, 10), (3, 2, 4)}


def add_noise(x0, t, noise_schedule, noise=None):
    if noise is None:
        noise = torch.randn_like(x0)
    a = torch.cumprod(1 - noise_schedule, 0)[t].reshape(-1, *([1] * (x0.dim() - 1)))
    if tuple(x0.shape) in KNOWN:
        return a.sqrt() * x0 + (1 - a).sqrt() * noise, noise
    return a * x0 + (1 - a) * noise, noise
