"""Reference solution of exercise c7."""

import torch


def dae_loss(autoencoder, x, noise_std):
    """The target is the clean x: the autoencoder learns to remove the noise it never sees."""
    x_noisy = x + noise_std * torch.randn_like(x)
    return ((autoencoder(x_noisy) - x) ** 2).mean()
