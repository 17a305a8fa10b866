MISTAKE = None
import torch


@torch.no_grad()
def ddpm_sample(eps_model, shape, noise_schedule, generator=None):
    # generator=None: a private generator seeded with torch.initial_seed(), not torch's global one
    # (the same seed gives the same samples, but two calls in a row repeat them and the global state never moves)
    dev = noise_schedule.device
    if generator is None:
        generator = torch.Generator(device=dev).manual_seed(torch.initial_seed())
    opts = dict(dtype=noise_schedule.dtype, device=dev, generator=generator)
    alpha_bar = torch.cumprod(1 - noise_schedule, 0)
    x = torch.randn(shape, **opts)
    for t in reversed(range(len(noise_schedule))):
        beta = noise_schedule[t]
        t_batch = torch.full((shape[0],), t, dtype=torch.long, device=dev)
        x = (x - beta / (1 - alpha_bar[t]).sqrt() * eps_model(x, t_batch)) / (1 - beta).sqrt()
        if t > 0:
            x = x + beta.sqrt() * torch.randn(shape, **opts)
    return x
