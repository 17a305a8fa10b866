MISTAKE = "sum-over-dims"
import torch


def dae_loss(autoencoder, x, noise_std):
    x_noisy = x + noise_std * torch.randn_like(x)
    err = (autoencoder(x_noisy) - x) ** 2
    return err.view(x.size(0), -1).sum(1).mean()
