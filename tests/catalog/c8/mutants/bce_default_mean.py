MISTAKE = "bce-mean-over-pixels"
import torch
import torch.nn.functional as F


def negative_elbo(x, x_logits, mu, log_var, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x)  # default reduction: mean over every pixel
    kl = torch.mean(-0.5 * torch.sum(1 + log_var - mu ** 2 - log_var.exp(), dim=1))
    return recon + beta * kl
