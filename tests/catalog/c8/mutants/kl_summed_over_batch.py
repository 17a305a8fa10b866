"""Reconstruction averaged over the batch, but the KL summed over the whole batch (torch.sum with no dim, no / B)."""
MISTAKE = None
import torch
import torch.nn.functional as F


def negative_elbo(x, x_logits, mu, log_var, beta=1.0):
    rec = F.binary_cross_entropy_with_logits(x_logits, x, reduction="sum") / x.shape[0]
    kld = -0.5 * torch.sum(1 + log_var - mu.pow(2) - log_var.exp())
    return rec + beta * kld
