MISTAKE = "wrong-dtype"
import numpy as np
import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    mu, _ = encode(torch.stack([x_a, x_b]))
    t = torch.from_numpy(np.linspace(0, 1, steps).reshape(-1, *[1] * (mu.dim() - 1))).to(mu.device)
    return decode(mu[0] + t * (mu[1] - mu[0]))
