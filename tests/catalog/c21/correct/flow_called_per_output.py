"""z and log_det read from two calls of the (deterministic) flow: flow(x)[0], flow(x)[1]."""
import math


def flow_log_prob(flow, x):
    z = flow(x)[0]
    log_det = flow(x)[1]
    return (-0.5 * z.pow(2) - 0.5 * math.log(2 * math.pi)).reshape(x.shape[0], -1).sum(1) + log_det
