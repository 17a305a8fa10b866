MISTAKE = "one-t-per-batch"
import torch


def ddpm_loss(eps_model, x0, noise_schedule):
    step = int(torch.randint(0, len(noise_schedule), (1,)))
    t = torch.full((x0.shape[0],), step, device=x0.device, dtype=torch.long)
    noise = torch.randn_like(x0)
    ab = torch.cumprod(1 - noise_schedule, 0)[step]
    x_t = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
    return ((eps_model(x_t, t) - noise) ** 2).mean()
