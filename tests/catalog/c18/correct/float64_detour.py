import torch


def frechet_distance(mu1, sigma1, mu2, sigma2):
    """Computed in float64 whatever the inputs (a common precaution), cast back at the end; the root
    taken of sigma2 this time: Tr (S2^(1/2) S1 S2^(1/2))^(1/2)."""
    dtype = mu1.dtype
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    w, v = torch.linalg.eigh(sigma2)
    root2 = v @ torch.diag(torch.sqrt(torch.clamp(w, min=0))) @ v.T
    eig = torch.linalg.eigvalsh(root2 @ sigma1 @ root2)
    tr_covmean = torch.sqrt(torch.clamp(eig, min=0)).sum()
    fid = torch.sum((mu1 - mu2) ** 2) + torch.trace(sigma1 + sigma2 - 2 * torch.eye(len(mu1), dtype=torch.float64, device=mu1.device) * tr_covmean / len(mu1))
    return fid.to(dtype)
