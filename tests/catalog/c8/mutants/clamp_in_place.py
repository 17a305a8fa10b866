MISTAKE = "modifies-input"
import torch.nn.functional as F


def negative_elbo(x, x_logits, mu, log_var, beta=1.0):
    x.clamp_(1e-6, 1 - 1e-6)  # keep the targets away from 0 and 1
    rec = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    kl = 0.5 * (mu.pow(2) + log_var.exp() - 1 - log_var).flatten(1).sum(1)
    return (rec + beta * kl).mean()
