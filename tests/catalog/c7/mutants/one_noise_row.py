MISTAKE = "shared-noise"
import torch


def dae_loss(autoencoder, x, noise_std):
    noise = torch.randn(x.shape[1:], dtype=x.dtype, device=x.device)  # broadcast over the batch
    return ((autoencoder(x + noise_std * noise) - x) ** 2).mean()
