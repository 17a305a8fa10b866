"""One sample at a time, with in-place ops on the fresh tensor z ** 2 (x itself untouched)."""
import math

import torch

LOG_2PI = math.log(2 * math.pi)


def flow_log_prob(flow, x):
    z, log_det = flow(x)
    out = []
    for i in range(x.shape[0]):
        term = z[i].pow(2)
        term.add_(LOG_2PI).mul_(-0.5)
        out.append(term.sum() + log_det[i])
    return torch.stack(out)
