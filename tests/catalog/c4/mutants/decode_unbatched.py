MISTAKE = "no-batch-dim"
import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    mu, _ = encode(torch.stack([x_a, x_b]))
    rows = [decode(mu[0] + (i / (steps - 1)) * (mu[1] - mu[0])) for i in range(steps)]
    return torch.stack(rows)
