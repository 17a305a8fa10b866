MISTAKE = "not-reparameterized"
import torch
from torch.distributions import Normal


def ddpm_reverse_step(eps_model, x_t, t, noise_schedule, noise=None):
    # noise=None: Normal(mean, sqrt(beta)).sample(), which cuts the graph (sample, not rsample)
    alpha_bar = torch.cumprod(1 - noise_schedule, 0)
    beta = noise_schedule[t]
    eps = eps_model(x_t, torch.full((x_t.shape[0],), t, dtype=torch.long, device=x_t.device))
    mean = (x_t - beta / (1 - alpha_bar[t]).sqrt() * eps) / (1 - beta).sqrt()
    if t == 0:
        return mean
    if noise is None:
        return Normal(mean, beta.sqrt().expand_as(mean)).sample()
    return mean + beta.sqrt() * noise
