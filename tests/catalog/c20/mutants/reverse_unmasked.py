"""Forward right, but the reverse transforms every value (forgot to keep the masked ones)."""
MISTAKE = None
import torch


def affine_coupling(x, mask, net, reverse=False):
    s, t = net(x * mask)
    if reverse:
        return (x - t) * torch.exp(-s), -((1 - mask) * s).sum(1)
    return x * mask + (1 - mask) * (x * torch.exp(s) + t), ((1 - mask) * s).sum(1)
