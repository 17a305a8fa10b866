MISTAKE = None
import torch


def ddim_step(eps_model, x_t, t, t_prev, noise_schedule, eta=0.0, noise=None):
    # ermongroup/ddim's generalized_steps hands the model t = torch.ones(n) * i, a float tensor
    ab = torch.cumprod(1 - noise_schedule, 0)
    ab_t = ab[t]
    ab_prev = ab[t_prev] if t_prev >= 0 else torch.ones_like(ab_t)
    et = eps_model(x_t, (torch.ones(x_t.shape[0]) * t).to(x_t.device))
    x0_t = (x_t - et * (1 - ab_t).sqrt()) / ab_t.sqrt()
    c1 = eta * ((1 - ab_t / ab_prev) * (1 - ab_prev) / (1 - ab_t)).sqrt()
    c2 = ((1 - ab_prev) - c1 ** 2).clamp(min=0).sqrt()
    out = ab_prev.sqrt() * x0_t + c2 * et
    if eta > 0:
        out = out + c1 * (torch.randn_like(x_t) if noise is None else noise)
    return out
