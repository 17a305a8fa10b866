"""Reference solution of exercise c20."""

import torch


def affine_coupling(x, mask, net, reverse=False):
    """y = x m + (1 - m)(x e^s + t), log_det = sum (1 - m) s; reverse inverts it."""
    s, t = net(x * mask)
    keep, change = mask, 1 - mask
    if reverse:
        return x * keep + change * (x - t) * torch.exp(-s), -(change * s).sum(dim=1)
    return x * keep + change * (x * torch.exp(s) + t), (change * s).sum(dim=1)
