"""The log-determinant summed over the batch too: one number instead of one per sample."""
MISTAKE = None
import torch


def affine_coupling(x, mask, net, reverse=False):
    s, t = net(x * mask)
    s = (1 - mask) * s
    if reverse:
        return x * mask + (1 - mask) * (x - t) * torch.exp(-s), -s.sum()
    return x * mask + (1 - mask) * (x * torch.exp(s) + t), s.sum()
