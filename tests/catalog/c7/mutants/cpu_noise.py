MISTAKE = "hard-coded-device"
import torch


def dae_loss(autoencoder, x, noise_std):
    noise = torch.randn(x.shape, dtype=x.dtype)
    return ((autoencoder(x + noise_std * noise) - x) ** 2).mean()
