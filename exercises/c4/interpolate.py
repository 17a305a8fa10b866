"""Exercise c4: interpolating between two examples in a VAE's latent space."""

import torch


def interpolate(encode, decode, x_a: torch.Tensor, x_b: torch.Tensor, steps: int = 10) -> torch.Tensor:
    """Decode `steps` evenly spaced points on the straight line from z_a to z_b.

    z_a and z_b are the means the encoder gives for x_a and x_b (not samples, not the
    log-variances). With t_i = i / (steps - 1) for i = 0, ..., steps - 1 (so t runs from 0
    to 1, both ends included):

        z_i   = z_a + t_i * (z_b - z_a)      (equivalently (1 - t_i) * z_a + t_i * z_b)
        row i = decode(z_i)

    so row 0 is decode(z_a) and the last row is decode(z_b).

    Args:
        encode: maps a batch of examples, shape (n, *x_a.shape), to a tuple
            (mu, log_var), each of shape (n, *latent_shape): flat (n, latent_dim) or
            spatial, e.g. (n, C, h, w).
        decode: maps a batch of latents, shape (n, *latent_shape), to a batch of
            outputs, shape (n, *x_a.shape).
        x_a, x_b: two single examples of the same shape (no batch dimension), float32
            or float64, on any device.
        steps: the number of points, at least 2.

    Returns:
        a tensor of shape (steps, *x_a.shape): row i is decode(z_i).
    """
    raise NotImplementedError("c4: implement interpolate")
