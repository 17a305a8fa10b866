MISTAKE = "inverse-convention"
import torch


def affine_coupling(x, mask, net, reverse=False):
    """A RealNVP port whose forward is the normalizing direction f(x) = (x - t) * exp(-s)."""
    s, t = net(x * mask)
    s, t = s * (1 - mask), t * (1 - mask)
    if not reverse:
        return x * mask + (1 - mask) * (x - t) * torch.exp(-s), -s.sum(dim=1)
    return x * mask + (1 - mask) * (x * torch.exp(s) + t), s.sum(dim=1)
