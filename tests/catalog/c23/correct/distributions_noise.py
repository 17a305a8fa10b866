import torch
from torch.distributions import Normal


def langevin_step(energy, x, step_size, noise=None):
    with torch.enable_grad():
        x_in = x.detach().requires_grad_(True)
        energies = energy(x_in)
        grad_x = torch.autograd.grad(energies.sum(), [x_in])[0]
    if noise is None:
        noise = Normal(torch.zeros_like(x), torch.ones_like(x)).sample()
    step = torch.as_tensor(step_size, dtype=x.dtype, device=x.device)
    x_new = x.detach() - 0.5 * step * grad_x + torch.sqrt(step) * noise
    return x_new
