MISTAKE = "energy-params-grad"
import math

import torch


def langevin_step(energy, x, step_size, noise=None):
    with torch.enable_grad():
        x_in = x.detach().clone().requires_grad_(True)
        energy(x_in).sum().backward()
    z = torch.randn_like(x) if noise is None else noise
    return (x - 0.5 * step_size * x_in.grad + math.sqrt(step_size) * z).detach()
