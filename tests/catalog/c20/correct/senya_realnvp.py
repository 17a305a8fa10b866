import torch


def affine_coupling(x, mask, net, reverse=False):
    """A RealNVP port's g (latent to data) and f (data to latent), s and t masked first."""
    if not reverse:
        z = x
        z_ = mask * z
        s, t = net(z_)
        s, t = s * (1 - mask), t * (1 - mask)
        out = z_ + (1 - mask) * (z * torch.exp(s) + t)
        return out, s.sum(dim=1)
    log_det_J, z = x.new_zeros(x.shape[0]), x
    z_ = mask * z
    s, t = net(z_)
    s, t = s * (1 - mask), t * (1 - mask)
    z = (1 - mask) * (z - t) * torch.exp(-s) + z_
    log_det_J -= s.sum(dim=1)
    return z, log_det_J
