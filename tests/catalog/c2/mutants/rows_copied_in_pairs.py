MISTAKE = "noise-shared"  # half the randomness: every row of noise appears twice, at random places in the batch
import torch


def add_noise(x0, t, noise_schedule, noise=None):
    if noise is None:
        half = torch.randn((x0.shape[0] + 1) // 2, *x0.shape[1:], dtype=x0.dtype, device=x0.device)
        noise = torch.cat([half, half])[torch.randperm(2 * len(half), device=x0.device)[:x0.shape[0]]]
    a = torch.cumprod(1 - noise_schedule, 0)[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return a.sqrt() * x0 + (1 - a).sqrt() * noise, noise
