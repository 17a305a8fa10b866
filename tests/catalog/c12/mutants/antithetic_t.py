"""ermongroup/ddim's antithetic sampling: t for half the batch, T - 1 - t for the other half (not independent per sample)."""
MISTAKE = None
import torch


def ddpm_loss(eps_model, x0, noise_schedule):
    n, T = x0.size(0), noise_schedule.shape[0]
    e = torch.randn_like(x0)
    t = torch.randint(low=0, high=T, size=(n // 2 + 1,)).to(x0.device)
    t = torch.cat([t, T - t - 1], dim=0)[:n]
    a = (1 - noise_schedule).cumprod(dim=0).index_select(0, t).view(-1, *([1] * (x0.dim() - 1)))
    x = x0 * a.sqrt() + e * (1.0 - a).sqrt()
    return (e - eps_model(x, t)).square().mean()
