import torch
import torch.nn.functional as F


def extract(a, t, x_shape):
    b, *_ = t.shape
    out = a.gather(-1, t)
    return out.reshape(b, *((1,) * (len(x_shape) - 1)))


def ddpm_loss(eps_model, x0, noise_schedule):
    # lucidrains' GaussianDiffusion keeps its buffers in float32
    alphas_cumprod = torch.cumprod(1.0 - noise_schedule.float(), dim=0)
    sqrt_alphas_cumprod = torch.sqrt(alphas_cumprod)
    sqrt_one_minus_alphas_cumprod = torch.sqrt(1.0 - alphas_cumprod)
    b = x0.shape[0]
    t = torch.randint(0, len(noise_schedule), (b,), device=x0.device).long()
    noise = torch.randn_like(x0)
    x = extract(sqrt_alphas_cumprod, t, x0.shape) * x0 + extract(sqrt_one_minus_alphas_cumprod, t, x0.shape) * noise
    model_out = eps_model(x.to(x0.dtype), t)
    loss = F.mse_loss(model_out, noise, reduction="none")
    loss = loss.reshape(b, -1).mean(1)
    return loss.mean()
