MISTAKE = "product-of-sqrts"
import torch


def sqrtm(s):
    w, v = torch.linalg.eigh(s)
    return v @ torch.diag(w.clamp(min=0).sqrt()) @ v.T


def frechet_distance(mu1, sigma1, mu2, sigma2):
    diff = mu1 - mu2
    return diff.dot(diff) + torch.trace(sigma1) + torch.trace(sigma2) - 2 * torch.trace(sqrtm(sigma1) @ sqrtm(sigma2))
