MISTAKE = "reverse-wrong-order"
import torch


def affine_coupling(x, mask, net, reverse=False):
    s, t = net(x * mask)
    if reverse:
        return x * mask + (1 - mask) * ((x * torch.exp(-s)) - t), -((1 - mask) * s).sum(dim=1)
    return x * mask + (1 - mask) * (x * torch.exp(s) + t), ((1 - mask) * s).sum(dim=1)
