import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    z = encode(torch.stack((x_a, x_b)))[0]
    alphas = torch.arange(steps, dtype=z.dtype, device=z.device) / (steps - 1)
    alphas = alphas.reshape((steps,) + (1,) * (z.dim() - 1))  # one weight per point, any latent shape
    latents = (1 - alphas) * z[0] + alphas * z[1]
    return decode(latents)
