import numpy as np
import torch


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    eps = torch.as_tensor(np.random.standard_normal(tuple(mu.shape)), dtype=mu.dtype, device=mu.device)
    return mu + torch.exp(0.5 * log_var) * eps
