MISTAKE = "fixed-4d-view"
import torch


def add_noise(x0, t, noise_schedule, noise=None):
    if noise is None:
        noise = torch.randn_like(x0)
    alpha_bar = torch.cumprod(1 - noise_schedule, dim=0)[t].view(-1, 1, 1, 1)  # written for image batches
    return alpha_bar.sqrt() * x0 + (1 - alpha_bar).sqrt() * noise, noise
