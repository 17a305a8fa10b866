"""Pre-0.4 PyTorch style: x.new(size).normal_(0, std) on a fresh tensor, then add and MSE as sum / numel."""
import torch.nn.functional as F


def dae_loss(autoencoder, x, noise_std):
    noise = x.new(x.size()).normal_(0, noise_std)
    x_noisy = x.add(noise)
    recon = autoencoder(x_noisy)
    return F.mse_loss(recon, x, reduction="sum") / x.numel()
