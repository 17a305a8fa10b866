# A CPU FloatTensor filled with normal noise, then moved to the inputs' device and dtype.
import torch


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    std = torch.exp(0.5 * log_var)
    eps = torch.FloatTensor(std.size()).normal_().to(std)
    return mu + std * eps
