MISTAKE = "model-called-per-sample"
import torch


def ddpm_loss(eps_model, x0, noise_schedule):
    ab_all = torch.cumprod(1 - noise_schedule, 0)
    losses = []
    for x in x0:
        t = torch.randint(0, len(noise_schedule), (1,), device=x0.device)
        noise = torch.randn_like(x)
        x_t = ab_all[t].sqrt() * x + (1 - ab_all[t]).sqrt() * noise
        losses.append(((eps_model(x_t[None], t)[0] - noise) ** 2).mean())
    return torch.stack(losses).mean()
