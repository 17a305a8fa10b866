import torch


def matrix_sqrt_psd(m):
    """sqrt of a symmetric PSD matrix through its SVD (U S U^T)."""
    u, s, _ = torch.linalg.svd(m)
    return u @ torch.diag(s.sqrt()) @ u.T


def frechet_distance(mu1, sigma1, mu2, sigma2):
    """Tr (S1 S2)^(1/2) is the nuclear norm of S1^(1/2) S2^(1/2): the sum of its singular values."""
    trace_root = torch.linalg.svdvals(matrix_sqrt_psd(sigma1) @ matrix_sqrt_psd(sigma2)).sum()
    return ((mu1 - mu2) ** 2).sum() + torch.trace(sigma1) + torch.trace(sigma2) - 2 * trace_root
