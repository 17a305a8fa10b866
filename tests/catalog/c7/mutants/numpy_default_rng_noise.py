"""Noise from a fresh numpy default_rng() (OS entropy) per call: fresh, but never follows torch.manual_seed."""
MISTAKE = None
import numpy as np
import torch


def dae_loss(autoencoder, x, noise_std):
    noise = torch.from_numpy(np.random.default_rng().normal(0.0, noise_std, size=tuple(x.shape))).to(x)
    return torch.nn.functional.mse_loss(autoencoder(x + noise), x)
