import math

import torch


def ddpm_sample(eps_model, shape, noise_schedule, generator=None):
    # Algorithm 2 with the coefficients as Python floats and in-place updates of one fresh buffer
    betas = noise_schedule.tolist()
    alpha_bars = [math.prod(1.0 - b for b in betas[: s + 1]) for s in range(len(betas))]
    x = torch.empty(shape, dtype=noise_schedule.dtype, device=noise_schedule.device)
    z = torch.empty_like(x)
    t_batch = torch.empty(shape[0], dtype=torch.long, device=x.device)
    with torch.no_grad():
        x.normal_(generator=generator)
        for t in range(len(betas) - 1, -1, -1):
            eps = eps_model(x, t_batch.fill_(t).clone())
            x.sub_(eps, alpha=betas[t] / math.sqrt(1.0 - alpha_bars[t])).div_(math.sqrt(1.0 - betas[t]))
            if t:
                x.add_(z.normal_(generator=generator), alpha=math.sqrt(betas[t]))
    return x
