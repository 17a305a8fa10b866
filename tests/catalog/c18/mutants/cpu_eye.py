MISTAKE = "hard-coded-device"
import torch


def frechet_distance(mu1, sigma1, mu2, sigma2):
    eye = torch.eye(sigma1.shape[0], dtype=sigma1.dtype)
    w, v = torch.linalg.eigh(sigma1)
    root = v @ (eye * w.clamp(min=0).sqrt()) @ v.T
    m = root @ sigma2 @ root
    tr_covmean = torch.linalg.eigvalsh(m).clamp(min=0).sqrt().sum()
    return ((mu1 - mu2) ** 2).sum() + torch.trace(sigma1) + torch.trace(sigma2) - 2 * tr_covmean
