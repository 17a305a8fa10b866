import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    """Interpolate the flattened codes, then give them back their own shape before decoding."""
    mu, _ = encode(torch.stack([x_a, x_b]))
    flat = mu.reshape(2, -1)
    t = torch.linspace(0, 1, steps, dtype=mu.dtype, device=mu.device)[:, None]
    path = (1 - t) * flat[0] + t * flat[1]
    return decode(path.reshape(steps, *mu.shape[1:]))
