MISTAKE = "no-return"
import torch


def affine_coupling(x, mask, net, reverse=False):
    s, t = net(x * mask)
    y = x * mask + (1 - mask) * (x * torch.exp(s) + t)
