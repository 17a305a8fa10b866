MISTAKE = None
import math

import torch


def langevin_step(energy, x, step_size, noise=None):
    with torch.enable_grad():
        x_in = x.detach().requires_grad_(True)
        (grad,) = torch.autograd.grad(energy(x_in).sum(), x_in)
    z = torch.randn_like(x) if noise is None else noise
    return (x - 0.5 * step_size * grad + 0.5 * math.sqrt(step_size) * z).detach()
