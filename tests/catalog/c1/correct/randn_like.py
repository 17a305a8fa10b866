import torch


def reparameterize(mu, log_var, training=True):
    if training:
        std = (0.5 * log_var).exp()
        eps = torch.randn_like(mu)
        return eps.mul(std).add(mu)
    return mu
