"""torch.randn(x.shape) drawn in the default dtype, then moved with .to(x) (x's dtype and device)."""
import torch


def dae_loss(autoencoder, x, noise_std):
    eps = torch.randn(x.shape).to(x)
    out = autoencoder(x + eps * noise_std)
    return torch.nn.MSELoss(reduction="mean")(out, x)
