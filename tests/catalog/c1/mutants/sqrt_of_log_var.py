MISTAKE = None  # nan wherever log_var < 0: every check that reads z says so, none guesses a cause
import torch


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    return mu + torch.sqrt(log_var) * torch.randn_like(mu)
