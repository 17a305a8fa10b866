MISTAKE = "noise-drawn-at-eta-0"
import torch


def ddim_step(eps_model, x_t, t, t_prev, noise_schedule, eta=0.0, noise=None):
    # lucidrains' ddim_sample loop body: noise drawn on every step, multiplied by sigma
    alphas_cumprod = torch.cumprod(1 - noise_schedule, dim=0)
    time_cond = torch.full((x_t.shape[0],), t, device=x_t.device, dtype=torch.long)
    pred_noise = eps_model(x_t, time_cond)
    alpha = alphas_cumprod[t]
    alpha_next = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(alpha)
    x_start = (x_t - (1 - alpha).sqrt() * pred_noise) / alpha.sqrt()
    sigma = eta * ((1 - alpha / alpha_next) * (1 - alpha_next) / (1 - alpha)).sqrt()
    c = (1 - alpha_next - sigma ** 2).clamp(min=0).sqrt()
    noise = torch.randn_like(x_t) if noise is None else noise
    return x_start * alpha_next.sqrt() + c * pred_noise + sigma * noise
