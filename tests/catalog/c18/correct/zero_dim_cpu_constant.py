"""A 0-dim CPU constant (torch.tensor(2.0, dtype=...)) times a trace on any device: valid (0-dim acts as a scalar)."""
import torch


def frechet_distance(mu1, sigma1, mu2, sigma2):
    two = torch.tensor(2.0, dtype=mu1.dtype)
    lam = torch.linalg.eigvals(sigma1 @ sigma2).real.clamp(min=0)
    return (mu1 - mu2).pow(2).sum() + sigma1.trace() + sigma2.trace() - two * lam.sqrt().sum()
