import numpy as np


def flow_log_prob(flow, x):
    """The prior log-likelihood of a RealNVP port, without its dequantization term."""
    z, sldj = flow(x)
    prior_ll = -0.5 * (z ** 2 + np.log(2 * np.pi))
    prior_ll = prior_ll.flatten(1).sum(-1)
    return prior_ll + sldj
