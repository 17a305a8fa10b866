import torch


def gradient_penalty(critic, real, fake):
    """eps weights fake (1 - eps is just as uniform), sqrt with a tiny epsilon inside."""
    shape = (real.shape[0],) + (1,) * (real.dim() - 1)
    eps = torch.rand(shape).to(real)
    interpolates = eps * fake + (1 - eps) * real
    interpolates = interpolates.detach().requires_grad_()
    out = critic(interpolates)
    gradients = torch.autograd.grad(outputs=out.sum(), inputs=interpolates, create_graph=True)[0]
    dims = list(range(1, gradients.dim()))
    slopes = torch.sqrt(torch.sum(gradients ** 2, dim=dims) + 1e-12)
    return ((slopes - 1) ** 2).mean()
