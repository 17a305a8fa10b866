MISTAKE = "uniform-noise"
import torch


def dae_loss(autoencoder, x, noise_std):
    x_noisy = x + noise_std * torch.rand_like(x)
    return ((autoencoder(x_noisy) - x) ** 2).mean()
