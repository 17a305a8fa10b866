MISTAKE = None
import torch


def ddim_step(eps_model, x_t, t, t_prev, noise_schedule, eta=0.0, noise=None):
    # x0_pred = (x_t - (1 - ab_t) * eps) / sqrt(ab_t): the square root on 1 - ab_t forgotten
    ab = torch.cumprod(1 - noise_schedule, 0)
    ab_t = ab[t]
    ab_prev = ab[t_prev] if t_prev >= 0 else torch.ones_like(ab_t)
    eps = eps_model(x_t, torch.full((x_t.shape[0],), t, dtype=torch.long, device=x_t.device))
    x0_pred = (x_t - (1 - ab_t) * eps) / ab_t.sqrt()
    sigma = eta * ((1 - ab_prev) / (1 - ab_t)).sqrt() * (1 - ab_t / ab_prev).sqrt()
    out = ab_prev.sqrt() * x0_pred + (1 - ab_prev - sigma ** 2).clamp(min=0).sqrt() * eps
    if eta > 0:
        out = out + sigma * (torch.randn_like(x_t) if noise is None else noise)
    return out
