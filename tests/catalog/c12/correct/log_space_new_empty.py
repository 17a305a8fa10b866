import torch


def ddpm_loss(eps_model, x0, noise_schedule):
    log_alpha_bar = torch.cumsum(torch.log1p(-noise_schedule), dim=0)
    t = torch.randint(high=noise_schedule.numel(), size=(x0.size(0),), device=x0.device)
    noise = x0.new_empty(x0.shape).normal_()
    log_ab = log_alpha_bar[t].reshape((-1,) + (1,) * (x0.ndim - 1))
    x_t = torch.exp(0.5 * log_ab) * x0 + torch.sqrt(-torch.expm1(log_ab)) * noise
    return (eps_model(x_t, t) - noise).pow(2).mean()
