"""(one - mask) with one a 0-dim CPU tensor: valid with x and mask on any device."""
import torch

ONE = torch.tensor(1.0)


def affine_coupling(x, mask, net, reverse=False):
    keep, move = mask, ONE.to(x.dtype) - mask
    s, t = net(x * keep)
    s = s * move
    if reverse:
        return x * keep + move * (x - t) * torch.exp(-s), -s.sum(1)
    return x * keep + move * (x * torch.exp(s) + t), s.sum(1)
