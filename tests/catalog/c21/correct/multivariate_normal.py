import torch
from torch.distributions import MultivariateNormal


def flow_log_prob(flow, x):
    z, log_det = flow(x)
    flat = z.reshape(z.shape[0], -1)
    d = flat.shape[1]
    prior = MultivariateNormal(torch.zeros(d, dtype=z.dtype, device=z.device),
                               torch.eye(d, dtype=z.dtype, device=z.device))
    return prior.log_prob(flat) + log_det
