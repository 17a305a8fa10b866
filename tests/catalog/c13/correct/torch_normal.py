import torch


def ddpm_reverse_step(eps_model, x_t, t, noise_schedule, noise=None):
    alpha_bar = (1 - noise_schedule).cumprod(0)
    beta, ab = noise_schedule[t], alpha_bar[t]
    steps = torch.tensor([t] * x_t.shape[0], device=x_t.device)
    mean = torch.rsqrt(1 - beta) * (x_t - beta * torch.rsqrt(1 - ab) * eps_model(x_t, steps))
    if t == 0:
        return mean
    if noise is None:
        return torch.normal(mean.detach(), beta.sqrt().expand_as(mean)) + (mean - mean.detach())
    return mean + beta.sqrt() * noise
