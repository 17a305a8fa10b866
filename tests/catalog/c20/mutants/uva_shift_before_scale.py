MISTAKE = "shift-before-scale"
import torch


def affine_coupling(x, mask, net, reverse=False):
    """The UvA tutorial's CouplingLayer: s and t masked, z = (z + t) * exp(s) forward."""
    s, t = net(x * mask)
    s = s * (1 - mask)
    t = t * (1 - mask)
    z = x
    if not reverse:
        z = (z + t) * torch.exp(s)
        ldj = s.sum(dim=1)
    else:
        z = (z * torch.exp(-s)) - t
        ldj = -s.sum(dim=1)
    return z, ldj
