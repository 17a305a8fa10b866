"""torch.distributions with Independent wrappers: the event dims are summed by log_prob and kl_divergence."""
import torch
from torch.distributions import Bernoulli, Independent, Normal, kl_divergence


def negative_elbo(x, x_logits, mu, log_var, beta=1.0):
    px = Independent(Bernoulli(logits=x_logits, validate_args=False), x.dim() - 1)
    q = Independent(Normal(mu, (0.5 * log_var).exp()), mu.dim() - 1)
    p = Independent(Normal(torch.zeros_like(mu), torch.ones_like(mu)), mu.dim() - 1)
    return (-px.log_prob(x) + beta * kl_divergence(q, p)).mean()
