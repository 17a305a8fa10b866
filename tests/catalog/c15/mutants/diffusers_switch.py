MISTAKE = "small-w-switch"
import torch


def guided_eps(eps_model, x_t, t, cond, null_cond, guidance_scale):
    do_classifier_free_guidance = guidance_scale > 1.0  # diffusers' pipelines
    if not do_classifier_free_guidance:
        return eps_model(x_t, t, cond)
    noise_pred = eps_model(torch.cat([x_t] * 2), torch.cat([t] * 2), torch.cat([null_cond, cond]))
    noise_pred_uncond, noise_pred_text = noise_pred.chunk(2)
    return noise_pred_uncond + guidance_scale * (noise_pred_text - noise_pred_uncond)
