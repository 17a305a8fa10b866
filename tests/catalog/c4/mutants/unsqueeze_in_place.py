MISTAKE = "modifies-input"
import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    z_a, _ = encode(x_a.unsqueeze_(0))
    z_b, _ = encode(x_b.unsqueeze_(0))
    t = torch.linspace(0, 1, steps, dtype=z_a.dtype, device=z_a.device).view(-1, *[1] * (z_a.dim() - 1))
    return decode(z_a + t * (z_b - z_a))
