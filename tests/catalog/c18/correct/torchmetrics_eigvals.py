"""torchmetrics' _compute_fid: the eigenvalues of sigma1 @ sigma2, their complex square roots, the real part."""
import torch


def frechet_distance(mu1, sigma1, mu2, sigma2):
    a = (mu1 - mu2).square().sum(dim=-1)
    b = sigma1.trace() + sigma2.trace()
    c = torch.linalg.eigvals(sigma1 @ sigma2).sqrt().real.sum(dim=-1)
    return a + b - 2 * c
