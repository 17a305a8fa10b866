"""In-place arithmetic only on fresh results whose backward does not need them (mu * mu, a sum), the inputs untouched."""
import torch.nn.functional as F


def negative_elbo(x, x_logits, mu, log_var, beta=1.0):
    rec = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    kl = mu * mu
    kl.add_(log_var.exp()).sub_(1.0).sub_(log_var).mul_(0.5)
    return rec.add_(kl.flatten(1).sum(1), alpha=beta).mean()
