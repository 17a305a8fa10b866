MISTAKE = "missing-factor-2"
import torch


def frechet_distance(mu1, sigma1, mu2, sigma2):
    eig = torch.linalg.eigvals(sigma1 @ sigma2).sqrt().real.sum()
    return ((mu1 - mu2) ** 2).sum() + sigma1.trace() + sigma2.trace() - eig
