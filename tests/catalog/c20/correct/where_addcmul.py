"""torch.where on the boolean mask, addcmul for x * exp(s) + t, and division for the reverse
(karpathy/pytorch-normalizing-flows' AffineHalfFlow written with a mask instead of x[:, ::2])."""
import torch


def affine_coupling(x, mask, net, reverse=False):
    keep = mask.bool().expand_as(x)
    s, t = net(torch.where(keep, x, torch.zeros_like(x)))
    s = torch.where(keep, torch.zeros_like(s), s)
    if reverse:
        moved = (x - t) / torch.exp(s)
        log_det = torch.sum(-s, dim=1)
    else:
        moved = torch.addcmul(t, x, torch.exp(s))
        log_det = torch.sum(s, dim=1)
    return torch.where(keep, x, moved), log_det
