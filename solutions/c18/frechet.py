"""Reference solution of exercise c18."""

import torch


def frechet_distance(mu1, sigma1, mu2, sigma2):
    """Tr (S1 S2)^(1/2) = sum of the square roots of the eigenvalues of the symmetric PSD matrix
    S1^(1/2) S2 S1^(1/2) (same spectrum as S1 S2); rounding can make the zero ones slightly negative."""
    vals, vecs = torch.linalg.eigh(sigma1)
    root1 = (vecs * vals.clamp(min=0).sqrt()) @ vecs.mT
    middle = root1 @ sigma2 @ root1
    trace_root = torch.linalg.eigvalsh((middle + middle.mT) / 2).clamp(min=0).sqrt().sum()
    diff = mu1 - mu2
    return diff.dot(diff) + sigma1.trace() + sigma2.trace() - 2 * trace_root
