MISTAKE = None  # exactly right rows, returned as a list: only the type check may fail
import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    mu, _ = encode(torch.stack([x_a, x_b]))
    rows = []
    for t in torch.linspace(0, 1, steps, dtype=mu.dtype, device=mu.device):
        rows.append(decode((mu[0] + t * (mu[1] - mu[0])).unsqueeze(0))[0])
    return rows
