import torch
from torch.distributions import Normal


def ddpm_loss(eps_model, x0, noise_schedule):
    T = noise_schedule.shape[0]
    alpha_bar = torch.cumprod(1 - noise_schedule, 0)
    t = torch.multinomial(torch.ones(T, device=x0.device), x0.shape[0], replacement=True)
    noise = Normal(torch.zeros_like(x0), torch.ones_like(x0)).sample()
    a = alpha_bar.index_select(0, t).view(x0.shape[0], *[1] * (x0.dim() - 1))
    x_t = torch.sqrt(a) * x0 + torch.sqrt(1 - a) * noise
    return torch.mean(torch.square(eps_model(x_t, t) - noise))
