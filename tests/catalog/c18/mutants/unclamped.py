MISTAKE = "negative-eigenvalues"
import torch


def frechet_distance(mu1, sigma1, mu2, sigma2):
    w, v = torch.linalg.eigh(sigma1)
    root = v @ torch.diag(w.abs().sqrt()) @ v.T
    m = root @ sigma2 @ root
    tr_covmean = torch.linalg.eigvalsh(m).sqrt().sum()  # rounding makes zero eigenvalues slightly negative
    return ((mu1 - mu2) ** 2).sum() + torch.trace(sigma1) + torch.trace(sigma2) - 2 * tr_covmean
