MISTAKE = "eigvalsh-on-product"
import torch


def frechet_distance(mu1, sigma1, mu2, sigma2):
    eigenvalues = torch.linalg.eigvalsh(sigma1 @ sigma2)
    tr_covmean = eigenvalues.clamp(min=0).sqrt().sum()
    return ((mu1 - mu2) ** 2).sum() + torch.trace(sigma1) + torch.trace(sigma2) - 2 * tr_covmean
