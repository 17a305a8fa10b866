import torch


def add_noise(x0, t, noise_schedule, noise=None):
    noise = torch.randn_like(x0) if noise is None else noise
    alphas_cumprod = torch.cumprod(1.0 - noise_schedule, dim=0)
    t = torch.as_tensor(t, device=x0.device)
    a = alphas_cumprod.gather(0, t.reshape(-1)).view(-1, *([1] * (x0.dim() - 1)))
    return torch.sqrt(a) * x0 + torch.sqrt(1.0 - a) * noise, noise
