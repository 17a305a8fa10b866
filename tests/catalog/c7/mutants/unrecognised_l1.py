"""The L1 reconstruction error: no known mistake names it."""
MISTAKE = None
import torch


def dae_loss(autoencoder, x, noise_std):
    x_noisy = x + noise_std * torch.randn_like(x)
    return (autoencoder(x_noisy) - x).abs().mean()
