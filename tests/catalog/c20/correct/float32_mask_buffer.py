import torch
from torch import nn


class Coupling(nn.Module):
    """A coupling layer keeping its mask as a float32 buffer (cast to x's dtype by promotion)."""

    def __init__(self, mask, net):
        super().__init__()
        self.register_buffer("mask", mask.float())
        self.net = net

    def forward(self, x, reverse=False):
        m = self.mask.to(x.dtype)
        s, t = self.net(x * m)
        s = s * (1 - m)
        if reverse:
            return m * x + (1 - m) * ((x - t) * torch.exp(-s)), -torch.sum(s, 1)
        return m * x + (1 - m) * (x * s.exp() + t), torch.sum(s, 1)


def affine_coupling(x, mask, net, reverse=False):
    return Coupling(mask, net)(x, reverse)
