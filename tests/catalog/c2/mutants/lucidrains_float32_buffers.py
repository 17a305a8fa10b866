MISTAKE = "float32-schedule"
# lucidrains/denoising-diffusion-pytorch (GaussianDiffusion.q_sample and extract), adapted with the
# smallest change: the buffers are computed in float64 and registered in float32, as there; an int
# t becomes a batch of t's. Right to ~1e-7 on float64 inputs: only the precision check fails.
from functools import partial

import torch


def exists(x):
    return x is not None


def default(val, d):
    if exists(val):
        return val
    return d() if callable(d) else d


def extract(a, t, x_shape):
    b, *_ = t.shape
    out = a.gather(-1, t)
    return out.reshape(b, *((1,) * (len(x_shape) - 1)))


def add_noise(x0, t, noise_schedule, noise=None):
    register_buffer = partial(torch.Tensor.to, dtype=torch.float32)
    alphas = 1. - noise_schedule.double()
    alphas_cumprod = torch.cumprod(alphas, dim=0)
    sqrt_alphas_cumprod = register_buffer(torch.sqrt(alphas_cumprod))
    sqrt_one_minus_alphas_cumprod = register_buffer(torch.sqrt(1. - alphas_cumprod))
    if isinstance(t, int):
        t = torch.full((x0.shape[0],), t, device=x0.device, dtype=torch.long)
    noise = default(noise, lambda: torch.randn_like(x0))
    return (
        extract(sqrt_alphas_cumprod, t, x0.shape) * x0 +
        extract(sqrt_one_minus_alphas_cumprod, t, x0.shape) * noise
    ), noise
