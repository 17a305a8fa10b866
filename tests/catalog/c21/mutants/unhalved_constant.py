"""-z^2 / 2 - log(2 pi) per value: the constant's 1/2 dropped (log(2 pi), not log(sqrt(2 pi)))."""
MISTAKE = None
import math


def flow_log_prob(flow, x):
    z, log_det = flow(x)
    return (-0.5 * z ** 2 - math.log(2 * math.pi)).flatten(1).sum(1) + log_det
