"""Exercise c18: the Frechet distance between two Gaussians, the formula behind FID."""

import torch


def frechet_distance(mu1: torch.Tensor, sigma1: torch.Tensor, mu2: torch.Tensor, sigma2: torch.Tensor) -> torch.Tensor:
    """The Frechet distance between N(mu1, sigma1) and N(mu2, sigma2):

        ||mu1 - mu2||^2 + Tr(sigma1 + sigma2 - 2 (sigma1 sigma2)^(1/2))

    where (sigma1 sigma2)^(1/2) is a matrix square root. Torch only (no scipy); right also when
    the covariances are singular (rank-deficient).

    Args:
        mu1, mu2: means, shape (d,).
        sigma1, sigma2: covariances (symmetric positive semi-definite), shape (d, d).

    Returns:
        a real 0-dim tensor in the inputs' dtype, on their device.
    """
    raise NotImplementedError("c18: implement frechet_distance")
