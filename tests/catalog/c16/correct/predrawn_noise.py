import torch


@torch.no_grad()
def ddpm_sample(eps_model, shape, noise_schedule, generator=None):
    # the start and all T - 1 step noises drawn from the generator in one call, up front
    T = len(noise_schedule)
    opts = dict(dtype=noise_schedule.dtype, device=noise_schedule.device)
    alpha_bar = torch.cumprod(1 - noise_schedule, 0)
    draws = torch.randn((T, *shape), generator=generator, **opts)
    x = draws[0]
    for t in reversed(range(T)):
        beta = noise_schedule[t]
        t_batch = torch.full((shape[0],), t, dtype=torch.long, device=noise_schedule.device)
        x = (x - beta / (1 - alpha_bar[t]).sqrt() * eps_model(x, t_batch)) / (1 - beta).sqrt()
        if t > 0:
            x = x + beta.sqrt() * draws[t]
    return x
