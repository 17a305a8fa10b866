import torch
from torch.distributions import Normal


def ddpm_reverse_step(eps_model, x_t, t, noise_schedule, noise=None):
    # Ho et al. Algorithm 2 with alpha_bar as a loop product and the draw as Normal(mean, sqrt(beta)).rsample()
    alpha_bar = torch.ones((), dtype=x_t.dtype, device=x_t.device)
    for beta_s in noise_schedule[: t + 1]:
        alpha_bar = alpha_bar * (1 - beta_s)
    beta = noise_schedule[t]
    eps = eps_model(x_t, torch.arange(x_t.shape[0], device=x_t.device).fill_(t))
    mean = x_t.clone()
    mean.sub_(beta / torch.sqrt(1 - alpha_bar) * eps).div_(torch.sqrt(1 - beta))
    if t == 0:
        return mean
    if noise is None:
        return Normal(mean, beta.sqrt().expand_as(mean)).rsample()
    return mean + beta.sqrt() * noise
