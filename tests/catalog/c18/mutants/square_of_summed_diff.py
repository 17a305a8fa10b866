"""The mean term as (sum(mu1 - mu2))^2, the square of the summed difference, not the sum of squares."""
MISTAKE = None
import torch


def frechet_distance(mu1, sigma1, mu2, sigma2):
    lam = torch.linalg.eigvals(sigma1 @ sigma2).real.clamp(min=0)
    return (mu1 - mu2).sum() ** 2 + torch.trace(sigma1) + torch.trace(sigma2) - 2 * lam.sqrt().sum()
