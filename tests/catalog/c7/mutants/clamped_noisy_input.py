"""Tutorial habit for images: clamp the noisy input to [0, 1] (the contract adds unclipped noise)."""
MISTAKE = "clamped-noisy-input"
import torch


def dae_loss(autoencoder, x, noise_std):
    noisy = torch.clamp(x + noise_std * torch.randn_like(x), 0.0, 1.0)
    return torch.nn.functional.mse_loss(autoencoder(noisy), x)
