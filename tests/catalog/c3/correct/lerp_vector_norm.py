import torch


def gradient_penalty(critic, real, fake):
    """torch.lerp for the interpolate, linalg.vector_norm over every non-batch dim."""
    eps = torch.rand((real.shape[0],) + (1,) * (real.ndim - 1), device=real.device, dtype=real.dtype)
    x_hat = torch.lerp(fake, real, eps).detach().requires_grad_(True)
    (g,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    norms = torch.linalg.vector_norm(g, dim=tuple(range(1, g.dim())))
    return torch.mean((norms - 1.0) ** 2)
