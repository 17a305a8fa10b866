"""Averaged over the d dimensions (diagonal().mean(), and a mean of squares) instead of traces and sums."""
MISTAKE = None
import torch


def frechet_distance(mu1, sigma1, mu2, sigma2):
    lam = torch.linalg.eigvals(sigma1 @ sigma2).real.clamp(min=0)
    covmean_term = lam.sqrt().mean()
    return ((mu1 - mu2) ** 2).mean() + sigma1.diagonal().mean() + sigma2.diagonal().mean() - 2 * covmean_term
