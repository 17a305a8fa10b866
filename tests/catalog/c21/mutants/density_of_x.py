MISTAKE = "density-of-x"
import math


def flow_log_prob(flow, x):
    _, log_det = flow(x)
    log_px = -0.5 * (x ** 2 + math.log(2 * math.pi))
    return log_px.flatten(1).sum(1) + log_det
