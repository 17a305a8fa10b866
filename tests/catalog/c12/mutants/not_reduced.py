MISTAKE = "loss-not-reduced"
import torch


def ddpm_loss(eps_model, x0, noise_schedule):
    t = torch.randint(0, len(noise_schedule), (x0.shape[0],), device=x0.device)
    noise = torch.randn_like(x0)
    ab = torch.cumprod(1 - noise_schedule, 0)[t].view(-1, *([1] * (x0.dim() - 1)))
    x_t = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
    return (eps_model(x_t, t) - noise) ** 2
