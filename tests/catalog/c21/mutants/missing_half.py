MISTAKE = "missing-half"
import math


def flow_log_prob(flow, x):
    z, log_det = flow(x)
    return (-(z ** 2) - 0.5 * math.log(2 * math.pi)).flatten(1).sum(1) + log_det
