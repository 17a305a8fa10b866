import torch


def guided_eps(eps_model, x_t, t, cond, null_cond, guidance_scale):
    w = guidance_scale
    eps_c, eps_u = eps_model(torch.cat([x_t, x_t], 0), torch.cat([t, t], 0), torch.cat([cond, null_cond], 0)).split(
        x_t.shape[0])
    return w * eps_c + (1 - w) * eps_u
