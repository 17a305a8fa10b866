import torch


def affine_coupling(x, mask, net, reverse=False):
    """nflows' affine coupling transform with exp as its scale: logabsdet = sum log(scale)."""
    identity = mask.bool()
    transform = ~identity
    shift_scale = net(x * mask)
    unconstrained_scale, shift = shift_scale[0][:, transform], shift_scale[1][:, transform]
    scale = torch.exp(unconstrained_scale)
    log_scale = torch.log(scale)
    outputs = x.clone()
    if reverse:
        outputs[:, transform] = (x[:, transform] - shift) / scale
        return outputs, -log_scale.sum(dim=1)
    outputs[:, transform] = x[:, transform] * scale + shift
    return outputs, log_scale.sum(dim=1)
