MISTAKE = "modifies-input"
import torch


def dae_loss(autoencoder, x, noise_std):
    clean = x.clone()
    x_noisy = x.add_(noise_std * torch.randn_like(x))
    return ((autoencoder(x_noisy) - clean) ** 2).mean()
