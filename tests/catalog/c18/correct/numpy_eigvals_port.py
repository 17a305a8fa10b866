"""mseitzer/pytorch-fid's calculate_frechet_distance on numpy arrays (float64), with scipy's sqrtm
replaced by numpy: Tr sqrtm(S1 S2) = the sum of the real square roots of np.linalg.eigvals(S1 S2)."""
import numpy as np
import torch


def frechet_distance(mu1, sigma1, mu2, sigma2):
    m1, s1, m2, s2 = (t.detach().cpu().numpy().astype(np.float64) for t in (mu1, sigma1, mu2, sigma2))
    diff = m1 - m2
    eig = np.linalg.eigvals(s1.dot(s2))
    tr_covmean = np.sum(np.sqrt(eig.astype(np.complex128)).real)
    fid = diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * tr_covmean
    return torch.tensor(fid, dtype=mu1.dtype, device=mu1.device)
