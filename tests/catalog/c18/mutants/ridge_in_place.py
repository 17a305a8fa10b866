MISTAKE = "modifies-input"
import torch


def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1.sub_(mu2)  # the difference, computed in place
    eig = torch.linalg.eigvals(sigma1 @ sigma2).sqrt().real.sum()
    return (mu1 ** 2).sum() + sigma1.trace() + sigma2.trace() - 2 * eig
