import math

import torch


def ddim_step(eps_model, x_t, t, t_prev, noise_schedule, eta=0.0, noise=None):
    betas = noise_schedule.tolist()
    ab_t = math.prod(1 - b for b in betas[: t + 1])
    ab_prev = math.prod(1 - b for b in betas[: t_prev + 1])  # the empty product is 1 at t_prev = -1
    eps = eps_model(x_t, x_t.new_full((x_t.shape[0],), t, dtype=torch.long))
    x0_pred = (x_t - math.sqrt(1 - ab_t) * eps) / math.sqrt(ab_t)
    var = eta**2 * (1 - ab_prev) / (1 - ab_t) * (1 - ab_t / ab_prev)
    out = math.sqrt(ab_prev) * x0_pred + math.sqrt(max(1 - ab_prev - var, 0.0)) * eps
    if eta == 0:
        return out
    z = noise if noise is not None else x_t.new_empty(x_t.shape).normal_()
    return out + math.sqrt(var) * z
