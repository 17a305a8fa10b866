import math

import torch


def add_noise(x0, t, noise_schedule, noise=None):
    """alpha_bar as a Python list, turned into a tensor on x0's device; t as a list of ints."""
    noise = noise if noise is not None else torch.randn(*x0.shape, dtype=x0.dtype, device=x0.device)
    alpha_bar, running = [], 1.0
    for beta in noise_schedule.tolist():
        running *= 1 - beta
        alpha_bar.append(running)
    steps = [t] if isinstance(t, int) else t.tolist()
    signal = torch.tensor([math.sqrt(alpha_bar[s]) for s in steps], dtype=x0.dtype, device=x0.device)
    sigma = torch.tensor([math.sqrt(1 - alpha_bar[s]) for s in steps], dtype=x0.dtype, device=x0.device)
    shape = (-1,) + (1,) * (x0.dim() - 1)
    return signal.view(shape) * x0 + sigma.view(shape) * noise, noise
