import torch


def compute_alpha(beta, t, ndim):
    # ermongroup/ddim functions/denoising.py: a zero prepended to the betas, index t + 1
    beta = torch.cat([torch.zeros(1).to(beta.device), beta], dim=0)
    a = (1 - beta).cumprod(dim=0).index_select(0, t + 1)
    return a.view(-1, *([1] * (ndim - 1)))


def ddpm_sample(eps_model, shape, noise_schedule, generator=None):
    # ermongroup/ddim ddpm_steps over seq = range(T), adapted: the x0 clamp removed, t as a
    # LongTensor, draws from the generator; noise is drawn at every step and masked at t = 0, as there
    opts = dict(dtype=noise_schedule.dtype, device=noise_schedule.device)
    x = torch.randn(shape, generator=generator, **opts)
    seq = range(len(noise_schedule))
    seq_next = [-1] + list(seq[:-1])
    with torch.no_grad():
        n = x.size(0)
        for i, j in zip(reversed(seq), reversed(seq_next)):
            t = (torch.ones(n, device=x.device) * i).long()
            next_t = (torch.ones(n, device=x.device) * j).long()
            at = compute_alpha(noise_schedule, t, x.dim())
            atm1 = compute_alpha(noise_schedule, next_t, x.dim())
            beta_t = 1 - at / atm1
            e = eps_model(x, t)
            x0_from_e = (1.0 / at).sqrt() * x - (1.0 / at - 1).sqrt() * e
            mean = ((atm1.sqrt() * beta_t) * x0_from_e + ((1 - beta_t).sqrt() * (1 - atm1)) * x) / (1.0 - at)
            noise = torch.randn(x.shape, generator=generator, **opts)
            mask = (1 - (t == 0).float()).view(-1, *([1] * (x.dim() - 1)))
            x = mean + mask * torch.exp(0.5 * beta_t.log()) * noise
    return x
