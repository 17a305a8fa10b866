import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    z_a = encode(x_a[None])[0]
    z_b = encode(x_b[None])[0]
    rows = []
    for i in range(steps):
        alpha = i / (steps - 1)
        rows.append(decode((1 - alpha) * z_a + alpha * z_b))
    return torch.cat(rows, dim=0)
