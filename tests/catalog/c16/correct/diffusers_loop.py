import torch


def randn_tensor(shape, generator=None, device=None, dtype=None):
    return torch.randn(shape, generator=generator, device=device, dtype=dtype)


def step(model_output, timestep, sample, alphas_cumprod, generator):
    # diffusers' DDPMScheduler.step, variance_type "fixed_large", clip_sample=False
    prev_t = timestep - 1
    alpha_prod_t = alphas_cumprod[timestep]
    alpha_prod_t_prev = alphas_cumprod[prev_t] if prev_t >= 0 else torch.ones_like(alpha_prod_t)
    beta_prod_t, beta_prod_t_prev = 1 - alpha_prod_t, 1 - alpha_prod_t_prev
    current_alpha_t = alpha_prod_t / alpha_prod_t_prev
    current_beta_t = 1 - current_alpha_t
    pred_original_sample = (sample - beta_prod_t ** 0.5 * model_output) / alpha_prod_t ** 0.5
    coeff_x0 = (alpha_prod_t_prev ** 0.5 * current_beta_t) / beta_prod_t
    coeff_xt = current_alpha_t ** 0.5 * beta_prod_t_prev / beta_prod_t
    prev_sample = coeff_x0 * pred_original_sample + coeff_xt * sample
    if timestep > 0:
        noise = randn_tensor(model_output.shape, generator=generator, device=sample.device, dtype=sample.dtype)
        prev_sample = prev_sample + current_beta_t ** 0.5 * noise
    return prev_sample


@torch.no_grad()
def ddpm_sample(eps_model, shape, noise_schedule, generator=None):
    alphas_cumprod = torch.cumprod(1.0 - noise_schedule, dim=0)
    image = randn_tensor(shape, generator=generator, device=noise_schedule.device, dtype=noise_schedule.dtype)
    for t in torch.arange(len(noise_schedule) - 1, -1, -1).tolist():
        model_output = eps_model(image, torch.full((shape[0],), t, dtype=torch.long, device=image.device))
        image = step(model_output, t, image, alphas_cumprod, generator)
    return image
