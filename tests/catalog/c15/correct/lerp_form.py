import torch


def guided_eps(eps_model, x_t, t, cond, null_cond, guidance_scale):
    b = x_t.shape[0]
    out = eps_model(x_t.repeat(2, *[1] * (x_t.dim() - 1)), t.repeat(2), torch.cat((cond, null_cond), dim=0))
    return torch.lerp(out[b:], out[:b], guidance_scale)
