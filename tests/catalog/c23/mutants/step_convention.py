MISTAKE = "step-convention"
import math

import torch


def langevin_step(energy, x, step_size, noise=None):
    with torch.enable_grad():
        x_in = x.detach().requires_grad_(True)
        (grad,) = torch.autograd.grad(energy(x_in).sum(), x_in)
    z = torch.randn_like(x) if noise is None else noise
    return (x - step_size * grad + math.sqrt(2 * step_size) * z).detach()
