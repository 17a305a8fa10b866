"""lucidrains' old default loss_type='l1': the mean absolute error."""
MISTAKE = None
import torch


def ddpm_loss(eps_model, x0, noise_schedule):
    t = torch.randint(0, len(noise_schedule), (x0.shape[0],), device=x0.device)
    ab = torch.cumprod(1 - noise_schedule, 0)[t].reshape(-1, *[1] * (x0.dim() - 1))
    noise = torch.randn_like(x0)
    x_t = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
    return torch.nn.functional.l1_loss(eps_model(x_t, t), noise)
