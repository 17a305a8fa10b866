MISTAKE = "std-as-variance"
import torch


def dae_loss(autoencoder, x, noise_std):
    x_noisy = x + noise_std ** 2 * torch.randn_like(x)
    return ((autoencoder(x_noisy) - x) ** 2).mean()
