MISTAKE = "no-reparam-gradient"
import torch
from torch.distributions import Normal


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    return Normal(mu, torch.exp(0.5 * log_var)).sample()
