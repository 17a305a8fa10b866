MISTAKE = "hard-coded-device"
import torch


def guided_eps(eps_model, x_t, t, cond, null_cond, guidance_scale):
    eps_c = eps_model(x_t, t, cond)
    eps_u = eps_model(x_t, t, null_cond)
    w = torch.full(x_t.shape, guidance_scale, dtype=x_t.dtype)
    return eps_u + w * (eps_c - eps_u)
