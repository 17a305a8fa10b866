import torch
from torch.distributions import Normal


def reparameterize(mu, log_var, training=True):
    """Let torch.distributions do the trick: rsample() is reparameterized."""
    if not training:
        return mu
    return Normal(loc=mu, scale=torch.exp(log_var / 2)).rsample()
