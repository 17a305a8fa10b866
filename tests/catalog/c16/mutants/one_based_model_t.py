MISTAKE = None
import torch


@torch.no_grad()
def ddpm_sample(eps_model, shape, noise_schedule, generator=None):
    # the paper's t = T..1 loop: the schedule read at t - 1, but the model handed t itself (1..T)
    opts = {"dtype": noise_schedule.dtype, "device": noise_schedule.device}
    T = len(noise_schedule)
    alpha_bar = torch.cumprod(1 - noise_schedule, dim=0)
    x = torch.randn(shape, generator=generator, **opts)
    for t in range(T, 0, -1):
        beta = noise_schedule[t - 1]
        t_batch = torch.full((shape[0],), t, dtype=torch.long, device=noise_schedule.device)
        x = (x - beta / (1 - alpha_bar[t - 1]).sqrt() * eps_model(x, t_batch)) / (1 - beta).sqrt()
        if t > 1:
            x = x + beta.sqrt() * torch.randn(shape, generator=generator, **opts)
    return x
