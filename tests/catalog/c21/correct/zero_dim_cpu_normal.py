"""Normal(torch.tensor(0.), torch.tensor(1.)): 0-dim CPU parameters, valid with z on any device (0-dim tensors act as scalars)."""
import torch
from torch.distributions import Normal


def flow_log_prob(flow, x):
    z, log_det = flow(x)
    prior = Normal(torch.tensor(0.0), torch.tensor(1.0))
    return prior.log_prob(z).flatten(1).sum(1) + log_det
