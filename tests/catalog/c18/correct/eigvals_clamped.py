import torch


def frechet_distance(mu1, sigma1, mu2, sigma2):
    """The eigenvalues of sigma1 @ sigma2 are real and >= 0 in exact arithmetic: keep the real part,
    clamp rounding's negatives, take the square roots."""
    eigenvalues = torch.linalg.eigvals(torch.mm(sigma1, sigma2)).real.clamp(min=0)
    mean_term = torch.sum(torch.square(mu1 - mu2))
    return mean_term + torch.trace(sigma1) + torch.trace(sigma2) - 2 * torch.sum(torch.sqrt(eigenvalues))
