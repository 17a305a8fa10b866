MISTAKE = "missing-endpoint"
import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    mu, _ = encode(torch.stack([x_a, x_b]))
    t = torch.linspace(0, 1, steps + 1, dtype=mu.dtype, device=mu.device)[1:]
    t = t.reshape(steps, *(1,) * (mu.dim() - 1))
    return decode(mu[0] + t * (mu[1] - mu[0]))
