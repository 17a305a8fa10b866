import torch


def ddim_step(eps_model, x_t, t, t_prev, noise_schedule, eta=0.0, noise=None):
    log_ab = torch.cumsum(torch.log1p(-noise_schedule), 0)
    ab_t = log_ab[t].exp()
    ab_prev = log_ab[t_prev].exp() if t_prev != -1 else torch.ones_like(ab_t)
    eps = eps_model(x_t, torch.tensor([t] * len(x_t), device=x_t.device))
    var = eta**2 * (1 - ab_prev) / (1 - ab_t) * (1 - ab_t / ab_prev)
    mean = torch.sqrt(ab_prev / ab_t) * (x_t - torch.sqrt(1 - ab_t) * eps) + torch.sqrt(
        torch.clamp(1 - ab_prev - var, min=0.0)) * eps
    if eta == 0:
        return mean
    return mean + var.sqrt() * (noise if noise is not None else torch.randn_like(x_t))
