MISTAKE = "mean-norm-not-squared"
import torch


def frechet_distance(mu1, sigma1, mu2, sigma2):
    eig = torch.linalg.eigvals(sigma1 @ sigma2).sqrt().real.sum()
    return torch.linalg.norm(mu1 - mu2) + sigma1.trace() + sigma2.trace() - 2 * eig
