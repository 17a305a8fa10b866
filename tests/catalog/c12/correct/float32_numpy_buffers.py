"""hojonathanho/diffusion keeps float64 numpy schedules and casts at use; here cast to float32 buffers (as TF code does), then to x0's dtype."""
import numpy as np
import torch


def ddpm_loss(eps_model, x0, noise_schedule):
    betas = noise_schedule.detach().cpu().numpy().astype(np.float64)
    alphas_cumprod = np.cumprod(1.0 - betas, axis=0)
    sqrt_ab = torch.tensor(np.sqrt(alphas_cumprod), dtype=torch.float32, device=x0.device)
    sqrt_1mab = torch.tensor(np.sqrt(1.0 - alphas_cumprod), dtype=torch.float32, device=x0.device)
    t = torch.randint(0, len(betas), (x0.shape[0],), device=x0.device)
    noise = torch.randn_like(x0)
    shape = [x0.shape[0]] + [1] * (x0.dim() - 1)
    x_t = sqrt_ab[t].reshape(shape).to(x0.dtype) * x0 + sqrt_1mab[t].reshape(shape).to(x0.dtype) * noise
    return torch.mean((noise - eps_model(x_t, t)) ** 2)
