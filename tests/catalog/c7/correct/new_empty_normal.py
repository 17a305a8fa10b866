import torch.nn.functional as F


def dae_loss(autoencoder, x, noise_std):
    """x.new_empty(...).normal_(): the noise in x's dtype and on its device."""
    eps = x.new_empty(x.shape).normal_()
    return F.mse_loss(autoencoder(x + noise_std * eps), x, reduction="mean")
