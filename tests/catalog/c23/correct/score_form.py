import math

import torch


def langevin_step(energy, x, step_size, noise=None):
    """Song and Ermon's form: eps = h / 2, x + eps * score + sqrt(2 eps) z, score = -grad E,
    per-sample gradients through grad_outputs of ones."""
    eps = step_size / 2
    with torch.enable_grad():
        x_in = x.detach().clone().requires_grad_()
        e = energy(x_in)
        score = -torch.autograd.grad(e, x_in, grad_outputs=torch.ones_like(e))[0]
    if noise is None:
        noise = x.new_empty(x.shape).normal_()
    with torch.no_grad():
        return x + eps * score + math.sqrt(2 * eps) * noise
