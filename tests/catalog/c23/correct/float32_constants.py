import torch


def langevin_step(energy, x, step_size, noise=None):
    """Step constants kept as float32 tensors, as many samplers hold them in buffers."""
    half = torch.tensor(step_size / 2, dtype=torch.float32).item()
    scale = torch.sqrt(torch.tensor(step_size, dtype=torch.float32)).item()
    x_in = x.detach().requires_grad_(True)
    with torch.enable_grad():
        grad = torch.autograd.grad(energy(x_in).sum(), x_in)[0]
    z = torch.randn_like(x) if noise is None else noise
    return (x_in - half * grad + scale * z).detach()
