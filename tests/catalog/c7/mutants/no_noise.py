MISTAKE = "clean-input"
import torch
import torch.nn.functional as F


def dae_loss(autoencoder, x, noise_std):
    x_noisy = x + noise_std * torch.randn_like(x)
    return F.mse_loss(autoencoder(x), x)  # reconstructs the clean batch
