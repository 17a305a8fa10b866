MISTAKE = "no-return"
import torch


def dae_loss(autoencoder, x, noise_std):
    x_noisy = x + noise_std * torch.randn_like(x)
    loss = ((autoencoder(x_noisy) - x) ** 2).mean()
