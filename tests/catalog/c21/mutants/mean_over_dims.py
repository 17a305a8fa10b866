MISTAKE = "mean-over-dims"
import math


def flow_log_prob(flow, x):
    z, log_det = flow(x)
    d = z[0].numel()
    log_pz = -0.5 * (z ** 2 + math.log(2 * math.pi))
    return log_pz.flatten(1).mean(1) + log_det / d
