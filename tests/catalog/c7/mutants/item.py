MISTAKE = "detached"
import torch


def dae_loss(autoencoder, x, noise_std):
    x_noisy = x + noise_std * torch.randn_like(x)
    return x.new_tensor(((autoencoder(x_noisy) - x) ** 2).mean().item())
