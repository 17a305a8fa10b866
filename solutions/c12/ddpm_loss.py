"""Reference solution of exercise c12."""

import torch


def ddpm_loss(eps_model, x0, noise_schedule):
    """mean((eps_model(x_t, t) - noise)^2), t uniform per sample, x_t by the forward jump."""
    t = torch.randint(0, noise_schedule.shape[0], (x0.shape[0],), device=x0.device)
    noise = torch.randn_like(x0)
    alpha_bar = torch.cumprod(1 - noise_schedule, dim=0)[t].reshape(-1, *([1] * (x0.dim() - 1)))
    x_t = alpha_bar.sqrt() * x0 + (1 - alpha_bar).sqrt() * noise
    return ((eps_model(x_t, t) - noise) ** 2).mean()
