MISTAKE = None  # log of a negative number: nan in the noise; said as such, with no cause guessed
import torch


def add_noise(x0, t, noise_schedule, noise=None):
    if noise is None:  # Box-Muller by hand, with u1 shifted by mistake
        u1, u2 = torch.rand_like(x0), torch.rand_like(x0)
        noise = torch.sqrt(-2 * torch.log(u1 - 0.5)) * torch.cos(2 * torch.pi * u2)
    alpha_bar = torch.cumprod(1 - noise_schedule, dim=0)[t]
    alpha_bar = alpha_bar.reshape(-1, *([1] * (x0.dim() - 1)))
    return alpha_bar.sqrt() * x0 + (1 - alpha_bar).sqrt() * noise, noise
