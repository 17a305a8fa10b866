MISTAKE = "no-return"
import torch.nn.functional as F


def negative_elbo(x, x_logits, mu, log_var, beta=1.0):
    rec = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    kl = 0.5 * (mu.pow(2) + log_var.exp() - 1 - log_var).flatten(1).sum(1)
    loss = (rec + beta * kl).mean()
