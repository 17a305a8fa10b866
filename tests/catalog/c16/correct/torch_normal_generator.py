import torch


@torch.no_grad()
def ddpm_sample(eps_model, shape, noise_schedule, generator=None):
    # Ho et al. Algorithm 2 drawing with torch.normal(0, 1, size=..., generator=...), the step in
    # float64 whatever the schedule's dtype, cast back at the end
    opts = dict(dtype=noise_schedule.dtype, device=noise_schedule.device)
    betas = noise_schedule.double()
    alphas = 1 - betas
    coef = betas / torch.sqrt(1 - torch.cumprod(alphas, 0))
    x = torch.normal(0.0, 1.0, size=tuple(shape), generator=generator, **opts).double()
    for t in torch.arange(len(betas) - 1, -1, -1, device=noise_schedule.device):
        eps = eps_model(x.to(opts["dtype"]), t.repeat(shape[0])).double()
        x = (x - coef[t] * eps) / alphas[t].sqrt()
        if t.item() > 0:
            x += betas[t].sqrt() * torch.normal(0.0, 1.0, size=tuple(shape), generator=generator, **opts)
    return x.to(opts["dtype"])
