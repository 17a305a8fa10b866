import torch


def guided_eps(eps_model, x_t, t, cond, null_cond, guidance_scale):
    # a diffusers pipeline's denoising step, without its guidance_scale > 1 switch
    latent_model_input = torch.cat([x_t] * 2)
    timesteps = torch.cat([t] * 2)
    prompt_embeds = torch.cat([null_cond, cond])
    noise_pred = eps_model(latent_model_input, timesteps, prompt_embeds)
    noise_pred_uncond, noise_pred_text = noise_pred.chunk(2)
    return noise_pred_uncond + guidance_scale * (noise_pred_text - noise_pred_uncond)
