MISTAKE = "interpolated-inputs"
import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    t = torch.linspace(0, 1, steps, dtype=x_a.dtype, device=x_a.device).view(-1, *[1] * x_a.dim())
    mu, _ = encode(x_a + t * (x_b - x_a))
    return decode(mu)
