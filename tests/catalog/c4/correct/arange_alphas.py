import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    z = encode(torch.stack((x_a, x_b)))[0]
    alphas = torch.arange(steps, dtype=z.dtype, device=z.device) / (steps - 1)
    latents = (1 - alphas).unsqueeze(-1) * z[0] + alphas.unsqueeze(-1) * z[1]
    return decode(latents)
