MISTAKE = "detached"
import math

import torch


def flow_log_prob(flow, x):
    z, log_det = flow(x)
    log_pz = -0.5 * (z ** 2 + math.log(2 * math.pi))
    return torch.tensor([v.item() for v in log_pz.flatten(1).sum(1) + log_det], dtype=x.dtype, device=x.device)
