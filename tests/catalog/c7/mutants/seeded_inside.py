MISTAKE = "noise-reused"
import torch


def dae_loss(autoencoder, x, noise_std):
    torch.manual_seed(0)  # reproducible corruption
    x_noisy = x + noise_std * torch.randn_like(x)
    return ((autoencoder(x_noisy) - x) ** 2).mean()
