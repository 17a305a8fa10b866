MISTAKE = None  # half the randomness: every eps serves two samples, at random places in the batch
import torch


def _x_hat(real, fake, eps):
    return (eps * real + (1 - eps) * fake).detach().requires_grad_(True)


def _penalty(critic, x_hat):
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    return ((grad.flatten(1).norm(2, dim=1) - 1) ** 2).mean()


def gradient_penalty(critic, real, fake):
    n = real.shape[0]
    half = torch.rand((n + 1) // 2, dtype=real.dtype, device=real.device)
    eps = torch.cat([half, half])[torch.randperm(2 * len(half), device=real.device)[:n]]
    return _penalty(critic, _x_hat(real, fake, eps.reshape((real.shape[0], *[1] * (real.dim() - 1)))))
