MISTAKE = "flat-latents-only"
import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    mu_a, _ = encode(x_a.unsqueeze(0))
    mu_b, _ = encode(x_b.unsqueeze(0))
    weights = torch.linspace(0.0, 1.0, steps, dtype=mu_a.dtype, device=mu_a.device)
    return decode(torch.lerp(mu_a, mu_b, weights[:, None]))
