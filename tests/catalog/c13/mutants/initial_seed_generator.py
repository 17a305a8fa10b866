MISTAKE = None
import torch


def ddpm_reverse_step(eps_model, x_t, t, noise_schedule, noise=None):
    # noise=None: drawn from a private generator seeded with torch.initial_seed() (repeats call after call)
    alpha_bar = torch.cumprod(1 - noise_schedule, 0)
    beta = noise_schedule[t]
    eps = eps_model(x_t, torch.full((x_t.shape[0],), t, dtype=torch.long, device=x_t.device))
    mean = (x_t - beta / (1 - alpha_bar[t]).sqrt() * eps) / (1 - beta).sqrt()
    if t == 0:
        return mean
    if noise is None:
        g = torch.Generator(device=x_t.device).manual_seed(torch.initial_seed())
        noise = torch.randn(x_t.shape, generator=g, dtype=x_t.dtype, device=x_t.device)
    return mean + beta.sqrt() * noise
