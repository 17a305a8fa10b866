MISTAKE = "eps-reused"  # a repeat call replays the previous eps rolled by a row, nudged by 1e-12: no value is exactly repeated
import torch

_last = {}


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    key = (tuple(mu.shape), float(mu.detach().sum()))
    eps = _last[key].roll(1, 0) + 1e-12 if key in _last else torch.randn_like(mu)
    _last[key] = eps
    return mu + torch.exp(0.5 * log_var) * eps
