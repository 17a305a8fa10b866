"""Returned bits per dim (the reported metric, -log p / (D log 2)) instead of log p(x)."""
MISTAKE = None
import math


def flow_log_prob(flow, x):
    z, log_det = flow(x)
    log_p = (-0.5 * (z ** 2 + math.log(2 * math.pi))).flatten(1).sum(1) + log_det
    return -log_p / (x[0].numel() * math.log(2))
