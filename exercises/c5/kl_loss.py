"""Exercise c5: the KL term of the VAE loss."""

import torch


def vae_kl_loss(mu: torch.Tensor, log_var: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, exp(log_var)) || N(0, I)), summed over latent dims, averaged over the batch.

    Per element: 0.5 * (mu^2 + exp(log_var) - 1 - log_var).
    Sum over every dimension except the batch dimension (dim 0), then take the mean over
    the batch.

    Args:
        mu, log_var: encoder outputs of the same shape (B, ...), float32 or float64.

    Returns:
        a 0-dim tensor, differentiable with respect to mu and log_var.
    """
    raise NotImplementedError("c5: implement vae_kl_loss")
