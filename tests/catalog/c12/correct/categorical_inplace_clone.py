"""t from torch.distributions.Categorical with equal logits; x_t built by in-place ops on a clone of x0."""
import torch
from torch.distributions import Categorical


def ddpm_loss(eps_model, x0, noise_schedule):
    B, T = x0.shape[0], noise_schedule.shape[0]
    t = Categorical(logits=torch.zeros(T, dtype=x0.dtype, device=x0.device)).sample((B,))
    alpha_bar = torch.cumprod(1 - noise_schedule, dim=0)[t]
    shape = (B,) + (1,) * (x0.dim() - 1)
    noise = torch.randn_like(x0)
    x_t = x0.clone().mul_(alpha_bar.sqrt().view(shape)).add_(noise * (1 - alpha_bar).sqrt().view(shape))
    return torch.nn.functional.mse_loss(eps_model(x_t, t), noise)
