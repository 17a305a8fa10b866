import torch


def gradient_penalty(critic, real, fake):
    """One sample at a time (slow but correct): each x_hat_i gets its own gradient."""
    penalties = []
    for i in range(real.shape[0]):
        eps = torch.rand((), device=real.device, dtype=real.dtype)
        x_i = (eps * real[i:i + 1] + (1 - eps) * fake[i:i + 1]).requires_grad_(True)
        (g,) = torch.autograd.grad(critic(x_i).sum(), x_i, create_graph=True)
        penalties.append((g.norm() - 1) ** 2)
    return torch.stack(penalties).mean()
