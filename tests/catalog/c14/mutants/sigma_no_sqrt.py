MISTAKE = None
import torch


def ddim_step(eps_model, x_t, t, t_prev, noise_schedule, eta=0.0, noise=None):
    # diffusers' std_dev_t = eta * variance ** 0.5 with the ** 0.5 forgotten: sigma = eta * variance
    ab = torch.cumprod(1 - noise_schedule, 0)
    ab_t = ab[t]
    ab_prev = ab[t_prev] if t_prev >= 0 else torch.ones_like(ab_t)
    eps = eps_model(x_t, torch.full((x_t.shape[0],), t, dtype=torch.long, device=x_t.device))
    x0_pred = (x_t - (1 - ab_t).sqrt() * eps) / ab_t.sqrt()
    variance = (1 - ab_prev) / (1 - ab_t) * (1 - ab_t / ab_prev)
    std_dev_t = eta * variance
    out = ab_prev.sqrt() * x0_pred + (1 - ab_prev - std_dev_t ** 2).clamp(min=0).sqrt() * eps
    if eta > 0:
        out = out + std_dev_t * (torch.randn_like(x_t) if noise is None else noise)
    return out
