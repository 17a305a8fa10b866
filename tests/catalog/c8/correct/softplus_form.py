import torch
import torch.nn.functional as F


def negative_elbo(x, x_logits, mu, log_var, beta=1.0):
    """-log p(x|z) = softplus(l) - x * l per pixel; sum over every non-batch dim."""
    dims = tuple(range(1, x.dim()))
    rec = torch.sum(F.softplus(x_logits) - x * x_logits, dim=dims)
    kl = 0.5 * torch.sum(mu ** 2 + torch.exp(log_var) - 1.0 - log_var, dim=tuple(range(1, mu.dim())))
    return torch.mean(rec + beta * kl)
