MISTAKE = "flat-latents-only"
import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    mu, _ = encode(torch.stack([x_a, x_b]))
    z_a, z_b = mu[0], mu[1]
    t = torch.linspace(0, 1, steps, dtype=mu.dtype, device=mu.device).unsqueeze(1)  # (steps, 1)
    return decode(z_a + t * (z_b - z_a))
