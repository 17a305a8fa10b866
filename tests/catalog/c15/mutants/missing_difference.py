MISTAKE = "missing-difference"
import torch


def guided_eps(eps_model, x_t, t, cond, null_cond, guidance_scale):
    eps_c = eps_model(x_t, t, cond)
    eps_u = eps_model(x_t, t, null_cond)
    return eps_u + guidance_scale * eps_c
