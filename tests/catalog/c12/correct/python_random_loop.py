"""Loops: t drawn with Python's random.randrange per sample, alpha_bar as a running product per t."""
import random

import torch


def ddpm_loss(eps_model, x0, noise_schedule):
    T = len(noise_schedule)
    t = torch.tensor([random.randrange(T) for _ in range(x0.shape[0])], dtype=torch.long, device=x0.device)
    coefs = []
    for ti in t.tolist():
        ab = torch.ones((), dtype=x0.dtype, device=x0.device)
        for s in range(ti + 1):
            ab = ab * (1 - noise_schedule[s])
        coefs.append(ab)
    ab = torch.stack(coefs).reshape(-1, *[1] * (x0.dim() - 1))
    noise = torch.randn(x0.size(), dtype=x0.dtype, device=x0.device)
    x_t = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
    return ((eps_model(x_t, t) - noise) ** 2).sum() / noise.numel()
