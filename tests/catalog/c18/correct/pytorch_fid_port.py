"""pytorch-fid's calculate_frechet_distance with scipy.linalg.sqrtm replaced by an eigendecomposition
in torch; the same guards (an offset when the product is singular, the imaginary part dropped)."""
import torch


def sqrtm(a):
    vals, vecs = torch.linalg.eig(a)
    return vecs @ torch.diag(vals.sqrt()) @ torch.linalg.inv(vecs)


def frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-6):
    diff = mu1 - mu2
    # Product might be almost singular
    covmean = sqrtm(sigma1 @ sigma2)
    if not torch.isfinite(covmean).all():
        offset = torch.eye(sigma1.shape[0], dtype=sigma1.dtype, device=sigma1.device) * eps
        covmean = sqrtm((sigma1 + offset) @ (sigma2 + offset))
    # Numerical error might give slight imaginary component
    covmean = covmean.real
    tr_covmean = torch.trace(covmean)
    return diff.dot(diff) + torch.trace(sigma1) + torch.trace(sigma2) - 2 * tr_covmean
