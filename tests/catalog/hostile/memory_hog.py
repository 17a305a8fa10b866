"""Allocates without end at import (lists) and inside the function (a 32 GiB tensor)."""
import torch

hog = []
try:
    for _ in range(10_000):
        hog.append(bytearray(64 << 20))
except MemoryError:
    hog.clear()


def vae_kl_loss(mu, log_var):
    big = torch.ones(1 << 32, dtype=torch.float64)
    return big.sum() * 0 + (mu * 0).sum()
