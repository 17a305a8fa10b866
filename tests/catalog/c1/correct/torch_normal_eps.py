import torch


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    eps = torch.normal(0.0, 1.0, size=mu.shape, dtype=mu.dtype, device=mu.device)
    return mu + eps * torch.sqrt(torch.exp(log_var))
