MISTAKE = None  # alpha_bar[-1] < alpha_bar[t] makes sigma nan: observed, not named
import torch


def ddim_step(eps_model, x_t, t, t_prev, noise_schedule, eta=0.0, noise=None):
    alpha_bar = torch.cumprod(1 - noise_schedule, dim=0)
    ab_t = alpha_bar[t]
    t_batch = torch.full((x_t.shape[0],), t, dtype=torch.long, device=x_t.device)
    ab_prev = alpha_bar[t_prev]  # t_prev = -1 reads the last entry
    eps = eps_model(x_t, t_batch)
    x0_pred = (x_t - (1 - ab_t).sqrt() * eps) / ab_t.sqrt()
    sigma = eta * ((1 - ab_prev) / (1 - ab_t)).sqrt() * (1 - ab_t / ab_prev).sqrt()
    x_prev = ab_prev.sqrt() * x0_pred + (1 - ab_prev - sigma**2).clamp(min=0).sqrt() * eps
    if eta > 0:
        x_prev = x_prev + sigma * (torch.randn_like(x_t) if noise is None else noise)
    return x_prev
