"""Forward shifts before scaling, (x + t) * exp(s); the reverse is the README's (y - t) * exp(-s): inconsistent pair."""
MISTAKE = "shift-before-scale"
import torch


def affine_coupling(x, mask, net, reverse=False):
    s, t = net(x * mask)
    s = s * (1 - mask)
    if reverse:
        return x * mask + (1 - mask) * (x - t) * torch.exp(-s), -s.sum(1)
    return x * mask + (1 - mask) * ((x + t) * torch.exp(s)), s.sum(1)
