MISTAKE = "eps-reused"  # a repeat call gets the previous call's eps rolled by one row: uncorrelated, not fresh
import torch

_last = {}


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    key = (tuple(mu.shape), float(mu.detach().sum()))
    eps = _last[key].roll(1, 0) if key in _last else torch.randn_like(mu)
    _last[key] = eps
    return mu + torch.exp(0.5 * log_var) * eps
