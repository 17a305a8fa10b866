MISTAKE = "swapped-cond"
import torch


def guided_eps(eps_model, x_t, t, cond, null_cond, guidance_scale):
    out = eps_model(torch.cat([x_t, x_t]), torch.cat([t, t]), torch.cat([null_cond, cond]))
    eps_c, eps_u = out.chunk(2)  # but the unconditional half came first
    return eps_u + guidance_scale * (eps_c - eps_u)
