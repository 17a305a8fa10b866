MISTAKE = "integer-steps"
import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    mu, _ = encode(torch.stack([x_a, x_b]))
    alphas = (torch.arange(steps, device=mu.device) // (steps - 1)).reshape(steps, *[1] * (mu.dim() - 1))
    return decode(mu[0] + alphas * (mu[1] - mu[0]))
