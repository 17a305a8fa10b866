import torch


def ddpm_reverse_step(eps_model, x_t, t, noise_schedule, noise=None):
    # hojonathanho/diffusion keeps its schedule in float64 (numpy); here the whole step runs in
    # float64 and is cast back to x_t's dtype
    betas = noise_schedule.to(torch.float64)
    alpha_bar = torch.cumprod(1.0 - betas, 0)[t]
    beta = betas[t]
    x = x_t.to(torch.float64)
    eps = eps_model(x_t, torch.tensor(t, device=x_t.device).expand(x_t.shape[0])).to(torch.float64)
    mean = (x - beta / torch.sqrt(1.0 - alpha_bar) * eps) / torch.sqrt(1.0 - beta)
    if t == 0:
        return mean.to(x_t.dtype)
    z = (torch.randn_like(x_t) if noise is None else noise).to(torch.float64)
    return (mean + torch.sqrt(beta) * z).to(x_t.dtype)
