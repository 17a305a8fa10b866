MISTAKE = "square-root-of-distance"
import torch


def frechet_distance(mu1, sigma1, mu2, sigma2):
    eig = torch.linalg.eigvals(sigma1 @ sigma2).sqrt().real.sum()
    d2 = ((mu1 - mu2) ** 2).sum() + sigma1.trace() + sigma2.trace() - 2 * eig
    return torch.sqrt(torch.clamp(d2, min=0))
