"""In-place arithmetic on the output of log_var.exp(): exp's backward needs that output, so backward fails."""
MISTAKE = None
import torch
import torch.nn.functional as F


def negative_elbo(x, x_logits, mu, log_var, beta=1.0):
    rec = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    kl = log_var.exp()
    kl.add_(mu * mu).sub_(1.0).sub_(log_var).mul_(0.5)
    return rec.add_(kl.flatten(1).sum(1), alpha=beta).mean()
