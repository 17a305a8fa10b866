"""A GaussianNoise nn.Module (absolute scale, as PyTorch-forum layers write it) turned into the corruption step."""
import torch
from torch import nn


class GaussianNoise(nn.Module):
    def __init__(self, sigma=0.1):
        super().__init__()
        self.sigma = sigma

    def forward(self, x):
        if self.training and self.sigma != 0:
            return x + self.sigma * torch.randn_like(x)
        return x


def dae_loss(autoencoder, x, noise_std):
    corrupt = GaussianNoise(noise_std)
    return torch.nn.functional.mse_loss(autoencoder(corrupt(x)), x)
