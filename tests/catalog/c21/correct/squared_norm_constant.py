"""karpathy/pytorch-normalizing-flows' prior term written out: -|z|^2 / 2 - D log(2 pi) / 2, D = one sample's size."""
import math

import torch


def flow_log_prob(flow, x):
    zs, log_det = flow(x)
    flat = zs.view(x.size(0), -1)
    dims = flat.size(1)
    prior_logprob = -0.5 * torch.linalg.vector_norm(flat, dim=1) ** 2 - 0.5 * dims * math.log(2 * math.pi)
    return prior_logprob + log_det
