import torch
from torch.distributions import Normal


def flow_log_prob(flow, x):
    z, log_det = flow(x)
    base = Normal(torch.zeros_like(z), torch.ones_like(z))
    return base.log_prob(z).sum(dim=tuple(range(1, z.dim()))) + log_det
