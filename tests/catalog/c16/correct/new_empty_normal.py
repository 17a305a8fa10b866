import torch


def reverse_step(eps_model, x, t, betas, alpha_bar, generator):
    t_batch = x.new_full((x.shape[0],), t, dtype=torch.long)
    mean = (x - betas[t] / torch.sqrt(1 - alpha_bar[t]) * eps_model(x, t_batch)) / torch.sqrt(1 - betas[t])
    if t == 0:
        return mean
    return mean + torch.sqrt(betas[t]) * mean.new_empty(mean.shape).normal_(generator=generator)


def ddpm_sample(eps_model, shape, noise_schedule, generator=None):
    alpha_bar = torch.cumprod(1 - noise_schedule, 0)
    with torch.no_grad():
        x = noise_schedule.new_empty(shape).normal_(generator=generator)
        for t in range(noise_schedule.numel() - 1, -1, -1):
            x = reverse_step(eps_model, x, t, noise_schedule, alpha_bar, generator)
    return x
