"""A wrong formula no known mistake describes (the root of the mean square): the feedback must
say what it saw, and guess nothing. With a linear critic it equals | ||w|| - 1 |, as the
absolute-value mistake does, so only the MLP critic's evidence tells them apart."""
MISTAKE = None
import torch


def gradient_penalty(critic, real, fake):
    eps = torch.rand(real.size(0), *([1] * (real.dim() - 1)), device=real.device, dtype=real.dtype)
    x_hat = (eps * real + (1 - eps) * fake).detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    norms = grad.flatten(1).norm(2, dim=1)
    return ((norms - 1) ** 2).mean().sqrt()
