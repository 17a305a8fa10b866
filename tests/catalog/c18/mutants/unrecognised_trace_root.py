"""The square root of the trace instead of the trace of the square root: no known mistake names it."""
MISTAKE = None
import torch


def frechet_distance(mu1, sigma1, mu2, sigma2):
    return ((mu1 - mu2) ** 2).sum() + sigma1.trace() + sigma2.trace() - 2 * torch.sqrt(torch.trace(sigma1 @ sigma2))
