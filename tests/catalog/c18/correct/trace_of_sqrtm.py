"""A symmetric matrix square root as a function (eigh, in-place clamp_ on the fresh eigenvalues), then
the trace of sqrtm(S1^(1/2) S2 S1^(1/2)) itself rather than a sum of eigenvalues."""
import torch


def sqrtm_psd(a):
    w, v = torch.linalg.eigh((a + a.T) / 2)
    w.clamp_(min=0).sqrt_()
    return (v * w) @ v.T


def frechet_distance(mu1, sigma1, mu2, sigma2):
    root1 = sqrtm_psd(sigma1)
    covmean = sqrtm_psd(root1 @ sigma2 @ root1)
    diff = mu1 - mu2
    return torch.dot(diff, diff) + torch.trace(sigma1 + sigma2 - 2 * covmean)
