MISTAKE = "private-generator"  # a module-level generator with a constant seed: torch.manual_seed has no effect
import torch

_generator = torch.Generator().manual_seed(1234)


def add_noise(x0, t, noise_schedule, noise=None):
    if noise is None:
        noise = torch.randn(x0.shape, generator=_generator, dtype=x0.dtype).to(x0.device)
    a = torch.cumprod(1 - noise_schedule, 0)[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return a.sqrt() * x0 + (1 - a).sqrt() * noise, noise
