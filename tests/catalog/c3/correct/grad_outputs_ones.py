import torch


def gradient_penalty(critic, real, fake):
    """autograd.grad with explicit grad_outputs, eps shaped (B, 1, ..., 1), view + norm(2, dim=1)."""
    batch = real.size(0)
    eps = torch.rand(batch, *([1] * (real.dim() - 1)), device=real.device, dtype=real.dtype)
    x_hat = eps * real + (1 - eps) * fake
    x_hat.requires_grad_(True)
    scores = critic(x_hat)
    grads = torch.autograd.grad(outputs=scores, inputs=x_hat, grad_outputs=torch.ones_like(scores),
                                create_graph=True, retain_graph=True)[0]
    grads = grads.view(batch, -1)
    return ((grads.norm(2, dim=1) - 1) ** 2).mean()
