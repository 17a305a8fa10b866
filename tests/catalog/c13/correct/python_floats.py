import math

import torch


def ddpm_reverse_step(eps_model, x_t, t, noise_schedule, noise=None):
    betas = noise_schedule.tolist()
    alpha_bar = math.prod(1.0 - b for b in betas[: t + 1])
    beta = betas[t]
    eps = eps_model(x_t, x_t.new_full((x_t.shape[0],), t, dtype=torch.long))
    mean = (x_t - beta / math.sqrt(1.0 - alpha_bar) * eps) / math.sqrt(1.0 - beta)
    if t == 0:
        return mean
    z = noise if noise is not None else x_t.new_empty(x_t.shape).normal_()
    return mean + math.sqrt(beta) * z
