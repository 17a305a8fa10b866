"""The log-determinant averaged over the dimensions instead of summed."""
MISTAKE = None
import torch


def affine_coupling(x, mask, net, reverse=False):
    s, t = net(x * mask)
    s, t = s * (1 - mask), t * (1 - mask)
    if reverse:
        return x * mask + (1 - mask) * (x - t) * torch.exp(-s), -s.mean(dim=1)
    return x * mask + (1 - mask) * (x * torch.exp(s) + t), s.mean(dim=1)
