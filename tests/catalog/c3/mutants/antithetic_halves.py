MISTAKE = None  # antithetic eps: the second half of the batch gets 1 - the first half's eps
import torch


def _x_hat(real, fake, eps):
    return (eps * real + (1 - eps) * fake).detach().requires_grad_(True)


def _penalty(critic, x_hat):
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    return ((grad.flatten(1).norm(2, dim=1) - 1) ** 2).mean()


def gradient_penalty(critic, real, fake):
    n = real.shape[0]
    half = torch.rand(n // 2, dtype=real.dtype, device=real.device)
    extra = torch.rand(n % 2, dtype=real.dtype, device=real.device)
    return _penalty(critic, _x_hat(real, fake, torch.cat([half, 1 - half, extra]).reshape((real.shape[0], *[1] * (real.dim() - 1)))))
