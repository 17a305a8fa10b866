MISTAKE = "elementwise-sqrt"
import torch


def frechet_distance(mu1, sigma1, mu2, sigma2):
    covmean = torch.sqrt(sigma1 @ sigma2)  # elementwise
    diff = mu1 - mu2
    return diff @ diff + torch.trace(sigma1 + sigma2 - 2 * covmean)
