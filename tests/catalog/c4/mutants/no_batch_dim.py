MISTAKE = "no-batch-dim"
import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    z_a, _ = encode(x_a)
    z_b, _ = encode(x_b)
    t = torch.linspace(0, 1, steps, dtype=z_a.dtype, device=z_a.device).unsqueeze(1)
    return decode(z_a + t * (z_b - z_a))
