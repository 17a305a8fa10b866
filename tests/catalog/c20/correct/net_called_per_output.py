"""s and t read from two calls of the net on the same x * mask (net(h)[0], net(h)[1]), as students write
it after a tutorial with separate s_net and t_net."""
import torch


def affine_coupling(x, mask, net, reverse=False):
    h = x * mask
    s = net(h)[0] * (1 - mask)
    t = net(h)[1] * (1 - mask)
    if reverse:
        return h + (x - t) * torch.exp(-s) * (1 - mask), -s.sum(-1)
    return h + (x * torch.exp(s) + t) * (1 - mask), s.sum(-1)
