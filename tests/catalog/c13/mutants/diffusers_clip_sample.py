MISTAKE = "x0-clipping"
import torch


def ddpm_reverse_step(eps_model, x_t, t, noise_schedule, noise=None):
    # diffusers' DDPMScheduler.step with its defaults (clip_sample=True), variance_type "fixed_large"
    alphas_cumprod = torch.cumprod(1.0 - noise_schedule, dim=0)
    model_output = eps_model(x_t, torch.full((x_t.shape[0],), t, dtype=torch.long, device=x_t.device))
    prev_t = t - 1
    alpha_prod_t = alphas_cumprod[t]
    alpha_prod_t_prev = alphas_cumprod[prev_t] if prev_t >= 0 else torch.ones_like(alpha_prod_t)
    beta_prod_t = 1 - alpha_prod_t
    beta_prod_t_prev = 1 - alpha_prod_t_prev
    current_alpha_t = alpha_prod_t / alpha_prod_t_prev
    current_beta_t = 1 - current_alpha_t
    pred_original_sample = (x_t - beta_prod_t ** 0.5 * model_output) / alpha_prod_t ** 0.5
    pred_original_sample = pred_original_sample.clamp(-1.0, 1.0)
    pred_original_sample_coeff = (alpha_prod_t_prev ** 0.5 * current_beta_t) / beta_prod_t
    current_sample_coeff = current_alpha_t ** 0.5 * beta_prod_t_prev / beta_prod_t
    pred_prev_sample = pred_original_sample_coeff * pred_original_sample + current_sample_coeff * x_t
    variance = 0
    if t > 0:
        variance_noise = torch.randn_like(model_output) if noise is None else noise
        variance = (current_beta_t ** 0.5) * variance_noise
    return pred_prev_sample + variance
