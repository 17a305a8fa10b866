import math

import torch


def reparameterize(mu, log_var, training=True):
    # -eps is as standard normal as eps; new_empty keeps dtype and device
    if not training:
        return mu.clone()
    eps = mu.new_empty(mu.shape).normal_()
    return mu - torch.exp(log_var * 0.5) * eps
