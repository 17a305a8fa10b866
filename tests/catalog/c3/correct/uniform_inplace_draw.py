import torch


def gradient_penalty(critic, real, fake):
    """eps from empty(...).uniform_(), flatten + pow/sum/sqrt, no detach of the interpolate."""
    eps = torch.empty(real.shape[0], device=real.device, dtype=real.dtype).uniform_(0, 1)
    eps = eps.view(-1, *[1] * (real.dim() - 1))
    x = real * eps + fake * (1 - eps)
    if not x.requires_grad:
        x.requires_grad_(True)
    score = critic(x).squeeze()
    grad = torch.autograd.grad(score.sum(), x, create_graph=True)[0]
    norm = grad.flatten(start_dim=1).pow(2).sum(dim=1).sqrt()
    return (norm - 1).pow(2).mean()
