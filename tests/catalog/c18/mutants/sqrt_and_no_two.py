"""Two mistakes at once: the factor 2 dropped and the square root of the result returned."""
MISTAKE = None
import torch


def frechet_distance(mu1, sigma1, mu2, sigma2):
    lam = torch.linalg.eigvals(sigma1 @ sigma2).real.clamp(min=0)
    return torch.sqrt((mu1 - mu2).pow(2).sum() + sigma1.trace() + sigma2.trace() - lam.sqrt().sum())
