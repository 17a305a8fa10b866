import torch
from torch import autograd


def gradient_penalty(critic, real, fake):
    """The classic WGAN-GP code: alpha expanded to the data's size, Variable, grad_outputs of ones."""
    batch = real.size(0)
    alpha = torch.rand(batch, 1, device=real.device, dtype=real.dtype)
    alpha = alpha.expand(batch, real[0].numel()).contiguous().view(real.size())
    interpolates = alpha * real + ((1 - alpha) * fake)
    interpolates = autograd.Variable(interpolates, requires_grad=True)
    disc_interpolates = critic(interpolates)
    gradients = autograd.grad(outputs=disc_interpolates, inputs=interpolates,
                              grad_outputs=torch.ones(disc_interpolates.size(), device=real.device, dtype=real.dtype),
                              create_graph=True, retain_graph=True, only_inputs=True)[0]
    gradients = gradients.view(gradients.size(0), -1)
    return ((gradients.norm(2, dim=1) - 1) ** 2).mean()
