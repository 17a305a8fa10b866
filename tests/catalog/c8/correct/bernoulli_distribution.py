import torch
from torch.distributions import Bernoulli, Normal, kl_divergence


def negative_elbo(x, x_logits, mu, log_var, beta=1.0):
    """log p(x|z) from a Bernoulli with logits (soft targets: no argument validation), KL from Normals."""
    log_px = Bernoulli(logits=x_logits, validate_args=False).log_prob(x).flatten(1).sum(-1)
    q = Normal(mu, torch.exp(0.5 * log_var))
    p = Normal(torch.zeros_like(mu), torch.ones_like(mu))
    kl = kl_divergence(q, p).flatten(1).sum(-1)
    return torch.mean(-log_px + beta * kl)
