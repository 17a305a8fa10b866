"""Noise from numpy's global generator (np.random.normal): accepted, as in c1-c6: the checks seed it with torch's."""
import numpy as np
import torch


def dae_loss(autoencoder, x, noise_std):
    noise = torch.from_numpy(np.random.normal(0.0, noise_std, size=tuple(x.shape))).to(x)
    return torch.nn.functional.mse_loss(autoencoder(x + noise), x)
