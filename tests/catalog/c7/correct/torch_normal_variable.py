"""Variable-era denoising code: torch.normal around x, Variable wrappers, the sum divided by numel."""
import torch
from torch.autograd import Variable


def dae_loss(autoencoder, x, noise_std):
    noisy = Variable(torch.normal(mean=x.data, std=noise_std))
    out = autoencoder(noisy)
    return ((out - Variable(x.data)) ** 2).sum() / x.numel()
