"""The usual tutorial: nn.MSELoss on the clean target, noise from torch.randn(x.size())."""
import torch
import torch.nn as nn

criterion = nn.MSELoss()


def dae_loss(autoencoder, x, noise_std):
    noise = torch.randn(x.size(), dtype=x.dtype, device=x.device) * noise_std
    noisy_img = x + noise
    output = autoencoder(noisy_img)
    return criterion(output, x)
