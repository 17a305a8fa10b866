import torch


def ddpm_reverse_step(eps_model, x_t, t, noise_schedule, noise=None):
    # the score form of Algorithm 2 (Song et al. 2021, eq. 47): score = -eps / sqrt(1 - alpha_bar),
    # mean = (x_t + beta * score) / sqrt(alpha); legacy .data / .new constructors
    betas = noise_schedule.data
    log_alpha_bar = torch.log(1 - betas).cumsum(0)
    beta = betas[t].item()
    ts = x_t.new(x_t.shape[0]).long().fill_(t)
    score = -eps_model(x_t, ts) / (-torch.expm1(log_alpha_bar[t])).sqrt()
    mean = (x_t + beta * score) * (1 - beta) ** -0.5
    if t > 0:
        z = x_t.new(*x_t.shape).normal_() if noise is None else noise
        mean = mean + beta ** 0.5 * z
    return mean
