import torch


def affine_coupling(x, mask, net, reverse=False):
    """Split by indices, transform the changing part, put it back with index_copy."""
    keep = mask.bool()
    idx = (~keep).nonzero().squeeze(1)
    s, t = net(x * mask)
    s, t, part = s[:, idx], t[:, idx], x[:, idx]
    if reverse:
        changed, log_det = (part - t) * torch.exp(-s), -s.sum(1)
    else:
        changed, log_det = part * torch.exp(s) + t, s.sum(1)
    return x.index_copy(1, idx, changed), log_det
