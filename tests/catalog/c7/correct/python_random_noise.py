"""Noise from Python's random.gauss per element: accepted, the checks seed Python's generator with torch's."""
import random
import torch


def dae_loss(autoencoder, x, noise_std):
    noise = torch.tensor([random.gauss(0.0, noise_std) for _ in range(x.numel())]).reshape(x.shape).to(x)
    return torch.nn.functional.mse_loss(autoencoder(x + noise), x)
