"""Exercise c7: the training loss of a denoising autoencoder."""

import torch


def dae_loss(autoencoder, x: torch.Tensor, noise_std: float) -> torch.Tensor:
    """Corrupt x with fresh Gaussian noise, reconstruct it, and score the reconstruction against
    the CLEAN x:

        x_noisy = x + noise_std * eps,   eps ~ N(0, I), shaped like x, drawn fresh
        loss    = mean over all elements of (autoencoder(x_noisy) - x)^2

    Args:
        autoencoder: a module mapping a batch shaped like x to a batch of the same shape;
            call it once, on the whole noisy batch.
        x: a batch of clean data, shape (B, ...), float32 or float64, on any device.
        noise_std: the noise's standard deviation (a Python float).

    Returns:
        a 0-dim tensor in x's dtype, differentiable with respect to the autoencoder's parameters.
    """
    raise NotImplementedError("c7: implement dae_loss")
