import torch
from torch.func import grad


def langevin_step(energy, x, step_size, noise=None):
    """torch.func.grad of the summed energy: differentiates x only, ignores an outer no_grad."""
    g = grad(lambda v: energy(v).sum())(x).detach()
    z = noise if noise is not None else torch.normal(0.0, 1.0, size=x.shape, dtype=x.dtype, device=x.device)
    return (x - step_size / 2 * g + step_size ** 0.5 * z).detach()
