MISTAKE = None
import torch


def ddpm_reverse_step(eps_model, x_t, t, noise_schedule, noise=None):
    # ermongroup/ddim style: t handed to the model as a float tensor, (torch.ones(n) * t)
    alpha_bar = torch.cumprod(1 - noise_schedule, 0)
    beta = noise_schedule[t]
    eps = eps_model(x_t, (torch.ones(x_t.shape[0]) * t).to(x_t.device))
    mean = (x_t - beta / (1 - alpha_bar[t]).sqrt() * eps) / (1 - beta).sqrt()
    if t == 0:
        return mean
    if noise is None:
        noise = torch.randn_like(x_t)
    return mean + beta.sqrt() * noise
