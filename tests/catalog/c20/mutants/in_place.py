MISTAKE = "modifies-input"
import torch


def affine_coupling(x, mask, net, reverse=False):
    s, t = net(x * mask)
    change = (1 - mask).bool()
    if reverse:
        x[:, change] = ((x - t) * torch.exp(-s))[:, change]
        return x, -((1 - mask) * s).sum(dim=1)
    x[:, change] = (x * torch.exp(s) + t)[:, change]
    return x, ((1 - mask) * s).sum(dim=1)
