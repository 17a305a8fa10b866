MISTAKE = "not-reparameterized"
import torch


def ddpm_reverse_step(eps_model, x_t, t, noise_schedule, noise=None):
    # noise=None: torch.normal(mean, std), whose gradient with respect to mean is zero (not reparameterized)
    alpha_bar = torch.cumprod(1 - noise_schedule, 0)
    beta = noise_schedule[t]
    eps = eps_model(x_t, torch.full((x_t.shape[0],), t, dtype=torch.long, device=x_t.device))
    mean = (x_t - beta / (1 - alpha_bar[t]).sqrt() * eps) / (1 - beta).sqrt()
    if t == 0:
        return mean
    if noise is None:
        return torch.normal(mean, beta.sqrt().expand_as(mean))
    return mean + beta.sqrt() * noise
