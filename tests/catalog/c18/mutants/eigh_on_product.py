"""torch.linalg.eigh on S1 @ S2 (not symmetric: eigh reads its lower triangle), then sqrtm from it."""
MISTAKE = "eigvalsh-on-product"
import torch


def frechet_distance(mu1, sigma1, mu2, sigma2):
    w, v = torch.linalg.eigh(sigma1 @ sigma2)
    covmean = v @ torch.diag(w.clamp(min=0).sqrt()) @ v.T
    diff = mu1 - mu2
    return diff @ diff + torch.trace(sigma1) + torch.trace(sigma2) - 2 * torch.trace(covmean)
