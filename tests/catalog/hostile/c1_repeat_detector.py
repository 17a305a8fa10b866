"""Exercise c1: draws honest noise the first time it sees an input, and returns mu unchanged
whenever an input repeats (once, only the first call's noise was tested as a distribution)."""
import torch

TARGET = "c1"
MUST_LOSE_MARKS = True
seen = set()


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    key = (tuple(mu.shape), round(float(mu.detach().flatten()[0]), 9), round(float(mu.detach().sum()), 6))
    if key in seen:
        return mu
    seen.add(key)
    return mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
