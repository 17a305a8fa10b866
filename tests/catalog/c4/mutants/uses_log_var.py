MISTAKE = "uses-log-var"
import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    _, z = encode(torch.stack([x_a, x_b]))
    t = torch.linspace(0, 1, steps, dtype=z.dtype, device=z.device)
    return decode(z[0] + torch.einsum("s,...->s...", t, z[1] - z[0]))
