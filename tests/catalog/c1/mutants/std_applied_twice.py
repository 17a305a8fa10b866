MISTAKE = "std-exp-logvar"
import torch


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    std = torch.exp(0.5 * log_var)
    eps = torch.normal(torch.zeros_like(mu), std)  # eps already has the std...
    return mu + std * eps                            # ...and gets it again
