MISTAKE = "interpolated-outputs"
import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    mu, _ = encode(torch.stack([x_a, x_b]))
    ends = decode(mu)
    t = torch.linspace(0, 1, steps, dtype=mu.dtype, device=mu.device).view(-1, *[1] * x_a.dim())
    return ends[0] + t * (ends[1] - ends[0])
