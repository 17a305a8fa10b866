MISTAKE = "wrong-dtype"
import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    mu, _ = encode(torch.stack([x_a, x_b]))
    t = torch.linspace(0, 1, steps, device=mu.device).view(-1, *[1] * (mu.dim() - 1))
    return decode(torch.lerp(mu[0:1], mu[1:2], t))
