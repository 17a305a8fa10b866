MISTAKE = "reverse-logdet-sign"
import torch


def affine_coupling(x, mask, net, reverse=False):
    s, t = net(x * mask)
    log_det = ((1 - mask) * s).sum(dim=1)
    if reverse:
        return x * mask + (1 - mask) * (x - t) * torch.exp(-s), log_det
    return x * mask + (1 - mask) * (x * torch.exp(s) + t), log_det
