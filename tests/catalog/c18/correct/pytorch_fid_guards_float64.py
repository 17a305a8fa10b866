"""Float64 (as np.cov gives pytorch-fid) then cast back: mseitzer/pytorch-fid calculate_frechet_distance with all its guards, scipy's sqrtm replaced by an eig-based torch sqrtm:
the offset retry when not finite, and the ValueError when the diagonal's imaginary part exceeds 1e-3."""
import torch


def sqrtm(a):
    vals, vecs = torch.linalg.eig(a)
    return vecs @ torch.diag(vals.sqrt()) @ torch.linalg.inv(vecs)


def frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-6):
    dtype = mu1.dtype
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    diff = mu1 - mu2
    covmean = sqrtm(sigma1 @ sigma2)
    if not torch.isfinite(covmean).all():
        offset = torch.eye(sigma1.shape[0], dtype=sigma1.dtype, device=sigma1.device) * eps
        covmean = sqrtm((sigma1 + offset) @ (sigma2 + offset))
    if torch.is_complex(covmean):
        if not torch.allclose(torch.diagonal(covmean).imag, torch.zeros_like(torch.diagonal(covmean).imag), atol=1e-3):
            m = torch.max(torch.abs(covmean.imag))
            raise ValueError("Imaginary component {}".format(m))
        covmean = covmean.real
    tr_covmean = torch.trace(covmean)
    return (diff.dot(diff) + torch.trace(sigma1) + torch.trace(sigma2) - 2 * tr_covmean).to(dtype)
