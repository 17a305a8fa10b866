import torch


def add_noise(x0, t, noise_schedule, noise=None):
    if noise is None:
        noise = torch.randn_like(x0)
    alphas = 1 - noise_schedule
    alpha_bar = torch.stack([alphas[: s + 1].prod() for s in range(len(alphas))])
    coef = alpha_bar[t]
    shape = (-1,) + (1,) * (x0.ndim - 1)
    coef = coef.reshape(shape)
    return coef.sqrt() * x0 + (1 - coef).sqrt() * noise, noise
