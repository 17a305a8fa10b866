MISTAKE = "fixed-4d-view"  # the (B, 1, 1, 1) view only where t is a tensor: an int t is right
import torch


def add_noise(x0, t, noise_schedule, noise=None):
    if noise is None:
        noise = torch.randn_like(x0)
    alpha_bar = torch.cumprod(1 - noise_schedule, dim=0)[t]
    if torch.is_tensor(t):
        alpha_bar = alpha_bar.view(-1, 1, 1, 1)
    return alpha_bar.sqrt() * x0 + (1 - alpha_bar).sqrt() * noise, noise
