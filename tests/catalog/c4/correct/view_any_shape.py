import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    mu, _ = encode(torch.stack([x_a, x_b]))
    z_a, z_b = mu[0], mu[1]
    t = torch.linspace(0, 1, steps, dtype=z_a.dtype, device=z_a.device)
    t = t.view(-1, *([1] * z_a.dim()))
    return decode(torch.lerp(z_a.unsqueeze(0), z_b.unsqueeze(0), t))
