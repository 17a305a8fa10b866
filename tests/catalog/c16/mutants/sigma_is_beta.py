MISTAKE = None
import torch


@torch.no_grad()
def ddpm_sample(eps_model, shape, noise_schedule, generator=None):
    # the noise scaled by beta_t instead of sqrt(beta_t)
    opts = {"dtype": noise_schedule.dtype, "device": noise_schedule.device}
    alpha_bar = torch.cumprod(1 - noise_schedule, dim=0)
    x = torch.randn(shape, generator=generator, **opts)
    for t in reversed(range(len(noise_schedule))):
        beta = noise_schedule[t]
        t_batch = torch.full((shape[0],), t, dtype=torch.long, device=noise_schedule.device)
        x = (x - beta / (1 - alpha_bar[t]).sqrt() * eps_model(x, t_batch)) / (1 - beta).sqrt()
        if t > 0:
            x = x + beta * torch.randn(shape, generator=generator, **opts)
    return x
