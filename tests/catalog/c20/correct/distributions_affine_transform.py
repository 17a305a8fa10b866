"""torch.distributions.transforms.AffineTransform per value (identity where the mask passes through)."""
import torch
from torch.distributions.transforms import AffineTransform


def affine_coupling(x, mask, net, reverse=False):
    s, t = net(x * mask)
    transform = AffineTransform(loc=t * (1 - mask), scale=torch.exp(s * (1 - mask)))
    if reverse:
        transform = transform.inv
    out = transform(x)
    return out, transform.log_abs_det_jacobian(x, out).sum(-1)
