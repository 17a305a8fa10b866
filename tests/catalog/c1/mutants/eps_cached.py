MISTAKE = "eps-reused"
import torch

_eps = {}


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    key = (tuple(mu.shape), mu.dtype, str(mu.device))
    if key not in _eps:
        _eps[key] = torch.randn_like(mu)
    return mu + torch.exp(0.5 * log_var) * _eps[key]
