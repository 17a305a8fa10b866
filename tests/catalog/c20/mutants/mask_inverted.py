MISTAKE = "mask-inverted"
import torch


def affine_coupling(x, mask, net, reverse=False):
    keep = 1 - mask
    s, t = net(x * keep)
    if reverse:
        return x * keep + mask * (x - t) * torch.exp(-s), -(mask * s).sum(dim=1)
    return x * keep + mask * (x * torch.exp(s) + t), (mask * s).sum(dim=1)
