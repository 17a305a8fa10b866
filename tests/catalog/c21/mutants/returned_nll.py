MISTAKE = "returned-nll"
import math


def flow_log_prob(flow, x):
    z, log_det = flow(x)
    log_pz = -0.5 * (z ** 2 + math.log(2 * math.pi))
    return -(log_pz.flatten(1).sum(1) + log_det)
