"""S1^(1/2) S2 S1^(1/2) built in S1's eigenbasis, sqrt(w_i) sqrt(w_j) (V^T S2 V)_ij: no root matrix formed."""
import torch


def frechet_distance(mu1, sigma1, mu2, sigma2):
    w, v = torch.linalg.eigh(sigma1)
    root_w = w.clamp(min=0).sqrt()
    m = root_w[:, None] * (v.T @ sigma2 @ v) * root_w[None, :]
    lam = torch.linalg.eigvalsh(m)
    return (mu1 - mu2).pow(2).sum() + sigma1.trace() + sigma2.trace() - 2 * lam.clamp(min=0).sqrt().sum()
