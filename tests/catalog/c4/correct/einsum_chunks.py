import torch


def interpolate(encode, decode, x_a, x_b, steps: int = 10) -> torch.Tensor:
    batch = torch.stack([x_a, x_b], dim=0)
    mu, _ = encode(batch)
    t = torch.linspace(0, 1, steps).to(mu)
    z = mu[:1] + torch.einsum("s,...->s...", t, mu[1] - mu[0])
    pieces = [decode(chunk) for chunk in z.split(3)]
    return torch.cat(pieces)
