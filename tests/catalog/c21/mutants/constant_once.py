MISTAKE = "constant-once"
import math


def flow_log_prob(flow, x):
    z, log_det = flow(x)
    return (-0.5 * z ** 2).flatten(1).sum(1) - 0.5 * math.log(2 * math.pi) + log_det
