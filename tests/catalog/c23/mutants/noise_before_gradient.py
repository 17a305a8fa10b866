MISTAKE = "noise-before-gradient"
import math

import torch


def langevin_step(energy, x, step_size, noise=None):
    z = torch.randn_like(x) if noise is None else noise
    with torch.enable_grad():
        x_in = (x + math.sqrt(step_size) * z).detach().requires_grad_(True)
        (grad,) = torch.autograd.grad(energy(x_in).sum(), x_in)
    return (x_in - 0.5 * step_size * grad).detach()
