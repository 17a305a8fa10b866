MISTAKE = "eps-not-uniform"  # eps kept away from 0 and 1 (uniform on [0.02, 0.98]): the ends of the segment are missing
import torch


def _x_hat(real, fake, eps):
    return (eps * real + (1 - eps) * fake).detach().requires_grad_(True)


def _penalty(critic, x_hat):
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    return ((grad.flatten(1).norm(2, dim=1) - 1) ** 2).mean()


def gradient_penalty(critic, real, fake):
    eps = 0.02 + 0.96 * torch.rand((real.shape[0], *[1] * (real.dim() - 1)), dtype=real.dtype, device=real.device)
    return _penalty(critic, _x_hat(real, fake, eps))
