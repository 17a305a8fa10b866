"""ermongroup/ddim's noise_estimation_loss, adapted: one independent t per sample (not its antithetic pairs), view over any rank, mean not sum."""
import torch


def noise_estimation_loss(model, x0, t, e, b):
    a = (1 - b).cumprod(dim=0).index_select(0, t).view(-1, *([1] * (x0.dim() - 1)))
    x = x0 * a.sqrt() + e * (1.0 - a).sqrt()
    output = model(x, t)
    return (e - output).square().mean()


def ddpm_loss(eps_model, x0, noise_schedule):
    n = x0.size(0)
    e = torch.randn_like(x0)
    t = torch.randint(low=0, high=noise_schedule.shape[0], size=(n,)).to(x0.device)
    return noise_estimation_loss(eps_model, x0, t, e, noise_schedule)
