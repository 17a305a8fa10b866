MISTAKE = "python-number"
import torch


def gradient_penalty(critic, real, fake):
    eps = torch.rand(real.size(0), *([1] * (real.dim() - 1)), device=real.device, dtype=real.dtype)
    x_hat = (eps * real + (1 - eps) * fake).detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    return ((grad.flatten(1).norm(2, dim=1) - 1) ** 2).mean().item()
