"""Exercise c6: the optimal discriminator of a GAN."""

from typing import Callable

import torch

Density = Callable[[torch.Tensor], torch.Tensor]


def optimal_discriminator(p_data: Density, p_g: Density) -> Callable[[torch.Tensor], torch.Tensor]:
    """The discriminator that maximizes the GAN value function for a fixed generator.

    For fixed densities p_data (the data) and p_g (the generator), the best discriminator is

        D*(x) = p_data(x) / (p_data(x) + p_g(x)).

    Return a function D that, given a batch of points x, evaluates both densities on x and
    returns D*(x), one value per point. D must be exact wherever p_data(x) + p_g(x) > 0,
    however small the densities are (far in the tails they can be 1e-300 or smaller); it
    is never asked about points where both densities are zero.

    Args:
        p_data: maps a batch of points x (shape (N,) or (N, d)) to their densities under
            the data distribution, a tensor of shape (N,) with x's dtype and device.
        p_g: the same for the generator's distribution.

    Returns:
        D, a function: D(x) is a tensor of the densities' shape (N,), dtype and device,
        with values in [0, 1], differentiable wherever the densities are.
    """
    raise NotImplementedError("c6: implement optimal_discriminator")
