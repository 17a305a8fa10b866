import math

import torch


def gaussian_log_p(x, mean, log_sd):
    return -0.5 * math.log(2 * math.pi) - log_sd - 0.5 * (x - mean) ** 2 / torch.exp(2 * log_sd)


def flow_log_prob(flow, x):
    """Glow's gaussian_log_p with a zero mean and log sd, summed per sample."""
    out, logdet = flow(x)
    zero = torch.zeros_like(out)
    log_p = gaussian_log_p(out, zero, zero).view(x.shape[0], -1).sum(1)
    return log_p + logdet
