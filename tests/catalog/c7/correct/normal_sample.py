import torch


def dae_loss(autoencoder, x, noise_std):
    """The corruption as a sample of N(x, noise_std^2 I)."""
    x_noisy = torch.distributions.Normal(x, noise_std).sample()
    reconstruction = autoencoder(x_noisy)
    return torch.mean(torch.square(reconstruction - x))
