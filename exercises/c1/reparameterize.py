"""Exercise c1: the reparameterization trick of a VAE."""

import torch


def reparameterize(mu: torch.Tensor, log_var: torch.Tensor, training: bool = True) -> torch.Tensor:
    """Draw z ~ N(mu, exp(log_var)) so that gradients reach mu and log_var.

    Training: z = mu + exp(0.5 * log_var) * eps with eps ~ N(0, I), a fresh draw of the
    same shape as mu on every call (one independent value per element).
    Evaluation (training=False): z = mu, no noise.

    Args:
        mu: encoder means, any shape (batch first), float32 or float64, on any device.
        log_var: encoder log-variances log(sigma^2), same shape as mu.
        training: whether to sample (True) or return the mean (False).

    Returns:
        z, a tensor of mu's shape, dtype and device.
    """
    raise NotImplementedError("c1: implement reparameterize")
