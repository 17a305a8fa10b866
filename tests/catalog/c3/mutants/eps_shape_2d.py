MISTAKE = "eps-shape-2d"
import torch


def gradient_penalty(critic, real, fake):
    """Written for flat (B, D) data: eps of shape (B, 1)."""
    alpha = torch.rand(real.size(0), 1, device=real.device, dtype=real.dtype)
    x_hat = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    scores = critic(x_hat)
    (grad,) = torch.autograd.grad(scores, x_hat, grad_outputs=torch.ones_like(scores), create_graph=True)
    return ((grad.view(grad.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()
