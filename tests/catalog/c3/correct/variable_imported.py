import torch
from torch.autograd import Variable, grad


def gradient_penalty(critic, real, fake):
    """from torch.autograd import Variable, grad: the legacy wrapper, grad_outputs positional."""
    alpha = torch.rand(real.size(0), *[1] * (real.dim() - 1), device=real.device, dtype=real.dtype)
    interpolates = Variable(alpha * real + (1 - alpha) * fake, requires_grad=True)
    out = critic(interpolates)
    g = grad(out, interpolates, torch.ones_like(out), create_graph=True)[0]
    return ((g.view(g.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()
