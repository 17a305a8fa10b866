MISTAKE = "sampled-latent"
import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    mu, log_var = encode(torch.stack([x_a, x_b]))
    z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
    t = torch.linspace(0, 1, steps, dtype=z.dtype, device=z.device).view(-1, *[1] * (z.dim() - 1))
    return decode(z[0] + t * (z[1] - z[0]))
