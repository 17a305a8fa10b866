"""Reference solution of exercise c23."""

import math

import torch


def langevin_step(energy, x, step_size, noise=None):
    """x - (h / 2) grad sum E(x) + sqrt(h) z, differentiated with respect to x only."""
    with torch.enable_grad():
        x_in = x.detach().requires_grad_(True)
        (grad,) = torch.autograd.grad(energy(x_in).sum(), x_in)
    z = torch.randn_like(x) if noise is None else noise
    return (x.detach() - 0.5 * step_size * grad + math.sqrt(step_size) * z).detach()
