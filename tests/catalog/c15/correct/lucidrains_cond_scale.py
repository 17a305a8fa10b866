import torch


def guided_eps(eps_model, x_t, t, cond, null_cond, guidance_scale):
    # lucidrains' forward_with_cond_scale, as a function
    logits = eps_model(x_t, t, cond)
    if guidance_scale == 1:
        return logits
    null_logits = eps_model(x_t, t, null_cond)
    return null_logits + (logits - null_logits) * guidance_scale
