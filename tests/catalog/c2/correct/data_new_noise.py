# Noise drawn in the Variable-era idiom: x0.data.new(x0.size()).normal_().
import torch


def add_noise(x0, t, noise_schedule, noise=None):
    if noise is None:
        noise = x0.data.new(x0.size()).normal_()
    alphas_cumprod = torch.cumprod(1 - noise_schedule, 0)
    shape = (-1,) + (1,) * (x0.dim() - 1)
    a = alphas_cumprod[t].view(shape)
    return a.sqrt() * x0 + (1 - a).sqrt() * noise, noise
