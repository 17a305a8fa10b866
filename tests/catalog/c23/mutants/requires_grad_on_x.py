MISTAKE = "x-requires-grad-changed"
import math

import torch


def langevin_step(energy, x, step_size, noise=None):
    with torch.enable_grad():
        x.requires_grad_(True)
        (grad,) = torch.autograd.grad(energy(x).sum(), x)
    z = torch.randn_like(x) if noise is None else noise
    return (x - 0.5 * step_size * grad + math.sqrt(step_size) * z).detach()
