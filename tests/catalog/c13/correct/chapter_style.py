import torch


def ddpm_reverse_step(eps_model, x_t, t, noise_schedule, noise=None):
    betas = noise_schedule
    alphas = 1.0 - betas
    alpha_bars = torch.cumprod(alphas, dim=0)
    t_batch = torch.full((x_t.shape[0],), t, device=x_t.device)
    pred_noise = eps_model(x_t, t_batch)
    alpha = alphas[t]
    alpha_bar = alpha_bars[t]
    beta = betas[t]
    x = (1 / alpha.sqrt()) * (x_t - (beta / (1 - alpha_bar).sqrt()) * pred_noise)
    if t > 0:
        if noise is None:
            noise = torch.randn_like(x)
        x += beta.sqrt() * noise
    return x
