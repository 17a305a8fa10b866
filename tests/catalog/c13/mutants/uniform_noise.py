MISTAKE = None
import torch


def ddpm_reverse_step(eps_model, x_t, t, noise_schedule, noise=None):
    # rand_like for randn_like: the fresh noise is uniform on [0, 1)
    alpha_bar = torch.cumprod(1 - noise_schedule, 0)
    beta = noise_schedule[t]
    eps = eps_model(x_t, torch.full((x_t.shape[0],), t, dtype=torch.long, device=x_t.device))
    mean = (x_t - beta / (1 - alpha_bar[t]).sqrt() * eps) / (1 - beta).sqrt()
    if t == 0:
        return mean
    if noise is None:
        noise = torch.rand_like(x_t)
    return mean + beta.sqrt() * noise
