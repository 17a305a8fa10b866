import numpy as np
import torch


def langevin_step(energy, x, step_size, noise=None):
    """The UvA deep-learning tutorial's sampler, turned into one step of this exercise's update:
    the model's parameters are frozen while sampling, the gradient comes from backward()."""
    is_training = energy.training
    energy.eval()
    for p in energy.parameters():
        p.requires_grad = False
    inp_imgs = x.clone().detach()
    inp_imgs.requires_grad = True
    had_gradients_enabled = torch.is_grad_enabled()
    torch.set_grad_enabled(True)
    out_imgs = energy(inp_imgs)
    out_imgs.sum().backward()
    grad = inp_imgs.grad.data
    if noise is None:
        noise = torch.randn(inp_imgs.shape, device=inp_imgs.device, dtype=inp_imgs.dtype)
        noise.normal_(0, 1)
    new_imgs = inp_imgs.data - (step_size / 2) * grad + np.sqrt(step_size) * noise
    for p in energy.parameters():
        p.requires_grad = True
    energy.train(is_training)
    torch.set_grad_enabled(had_gradients_enabled)
    return new_imgs.detach()
