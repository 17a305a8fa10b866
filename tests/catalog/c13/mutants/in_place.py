MISTAKE = "modifies-input"
import torch


def ddpm_reverse_step(eps_model, x_t, t, noise_schedule, noise=None):
    beta = noise_schedule[t]
    alpha_bar = torch.cumprod(1 - noise_schedule, dim=0)[t]
    t_batch = torch.full((x_t.shape[0],), t, dtype=torch.long, device=x_t.device)
    eps = eps_model(x_t, t_batch)
    x_t -= beta / (1 - alpha_bar).sqrt() * eps
    mean = x_t / (1 - beta).sqrt()
    if t == 0:
        return mean
    if noise is None:
        noise = torch.randn_like(mean)
    return mean + beta.sqrt() * noise
