MISTAKE = "complex-result"
import torch


def frechet_distance(mu1, sigma1, mu2, sigma2):
    c = torch.linalg.eigvals(sigma1 @ sigma2).sqrt().sum()
    return ((mu1 - mu2) ** 2).sum() + sigma1.trace() + sigma2.trace() - 2 * c
