"""Python's random.randint(0, T) includes T: an index past the schedule's end now and then."""
MISTAKE = None
import random

import torch


def ddpm_loss(eps_model, x0, noise_schedule):
    T = len(noise_schedule)
    t = torch.tensor([random.randint(0, T) for _ in range(x0.shape[0])], device=x0.device)
    ab = torch.cumprod(1 - noise_schedule, 0)[t].reshape(-1, *[1] * (x0.dim() - 1))
    noise = torch.randn_like(x0)
    x_t = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
    return torch.nn.functional.mse_loss(eps_model(x_t, t), noise)
