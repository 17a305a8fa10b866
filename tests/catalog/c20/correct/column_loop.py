"""One column at a time, the Jacobian's diagonal entry per column (a loop instead of vectorized code)."""
import torch


def affine_coupling(x, mask, net, reverse=False):
    s, t = net(x * mask)
    columns, log_det = [], x.new_zeros(x.shape[0])
    for d in range(x.shape[1]):
        if mask[d].item() == 1:
            columns.append(x[:, d])
        elif reverse:
            columns.append((x[:, d] - t[:, d]) * torch.exp(-s[:, d]))
            log_det = log_det - s[:, d]
        else:
            columns.append(x[:, d] * torch.exp(s[:, d]) + t[:, d])
            log_det = log_det + s[:, d]
    return torch.stack(columns, dim=1), log_det
