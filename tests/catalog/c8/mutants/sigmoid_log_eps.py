"""log(sigmoid(l) + 1e-8): the epsilon keeps it finite, but wrong at large logits."""
MISTAKE = "sigmoid-then-log"
import torch


def negative_elbo(x, x_logits, mu, log_var, beta=1.0):
    p = torch.sigmoid(x_logits)
    log_px = x * torch.log(p + 1e-8) + (1 - x) * torch.log(1 - p + 1e-8)
    kl = 0.5 * (mu ** 2 + log_var.exp() - 1 - log_var).flatten(1).sum(1)
    return (-log_px.flatten(1).sum(1) + beta * kl).mean()
