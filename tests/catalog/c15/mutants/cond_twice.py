MISTAKE = "null-cond-unused"
import torch


def guided_eps(eps_model, x_t, t, cond, null_cond, guidance_scale):
    eps_c = eps_model(x_t, t, cond)
    eps_u = eps_model(x_t, t, cond)
    return eps_u + guidance_scale * (eps_c - eps_u)
