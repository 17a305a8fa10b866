"""The PyTorch-forum GaussianNoise layer with is_relative_detach=True: the noise is scaled by x itself."""
MISTAKE = None
import torch


def dae_loss(autoencoder, x, noise_std):
    scale = noise_std * x.detach()
    noisy = x + torch.randn_like(x) * scale
    return torch.nn.functional.mse_loss(autoencoder(noisy), x)
