"""One autoencoder call on the batch, then a Python loop of per-sample means (same size each, so their mean is the overall mean)."""
import torch


def dae_loss(autoencoder, x, noise_std):
    x_noisy = torch.empty_like(x).normal_().mul_(noise_std).add_(x)
    recon = autoencoder(x_noisy)
    per_sample = [((recon[i] - x[i]) ** 2).mean() for i in range(x.shape[0])]
    return torch.stack(per_sample).mean()
