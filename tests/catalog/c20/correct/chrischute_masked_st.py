"""chrischute/real-nvp's CouplingLayer (checkerboard mask): s and t masked, no tanh rescale, and its
(x + t) * exp(s) adapted to this layer's x * exp(s) + t."""
import torch


def affine_coupling(x, mask, net, reverse=False):
    sldj = torch.zeros(x.size(0), dtype=x.dtype, device=x.device)
    x_b = x * mask
    s, t = net(x_b)
    s = s * (1 - mask)
    t = t * (1 - mask)
    if reverse:
        inv_exp_s = s.mul(-1).exp()
        if torch.isnan(inv_exp_s).any():
            raise RuntimeError('Scale factor has NaN entries')
        x = (x - t) * inv_exp_s
        sldj = sldj - s.reshape(s.size(0), -1).sum(-1)
    else:
        exp_s = s.exp()
        if torch.isnan(exp_s).any():
            raise RuntimeError('Scale factor has NaN entries')
        x = x * exp_s + t
        sldj = sldj + s.reshape(s.size(0), -1).sum(-1)
    return x, sldj
