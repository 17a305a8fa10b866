MISTAKE = "hard-coded-device"
import torch


def affine_coupling(x, mask, net, reverse=False):
    s, t = net(x * mask)
    change = torch.ones(x.shape[1], dtype=x.dtype) - mask
    if reverse:
        return x * mask + change * (x - t) * torch.exp(-s), -(change * s).sum(dim=1)
    return x * mask + change * (x * torch.exp(s) + t), (change * s).sum(dim=1)
