import torch


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    std = torch.exp(0.5 * log_var)
    return mu + std * std.new_empty(std.size()).normal_()
