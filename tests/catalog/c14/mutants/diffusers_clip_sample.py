MISTAKE = "x0-clipping"
import torch


def ddim_step(eps_model, x_t, t, t_prev, noise_schedule, eta=0.0, noise=None):
    # diffusers' DDIMScheduler.step with its default clip_sample=True
    alphas_cumprod = torch.cumprod(1.0 - noise_schedule, dim=0)
    model_output = eps_model(x_t, torch.full((x_t.shape[0],), t, dtype=torch.long, device=x_t.device))
    alpha_prod_t = alphas_cumprod[t]
    alpha_prod_t_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(alpha_prod_t)
    beta_prod_t = 1 - alpha_prod_t
    pred_original_sample = (x_t - beta_prod_t ** 0.5 * model_output) / alpha_prod_t ** 0.5
    pred_original_sample = pred_original_sample.clamp(-1.0, 1.0)
    pred_epsilon = model_output
    variance = (1 - alpha_prod_t_prev) / beta_prod_t * (1 - alpha_prod_t / alpha_prod_t_prev)
    std_dev_t = eta * variance ** 0.5
    pred_sample_direction = (1 - alpha_prod_t_prev - std_dev_t**2).clamp(min=0) ** 0.5 * pred_epsilon
    prev_sample = alpha_prod_t_prev ** 0.5 * pred_original_sample + pred_sample_direction
    if eta > 0:
        variance_noise = torch.randn_like(model_output) if noise is None else noise
        prev_sample = prev_sample + std_dev_t * variance_noise
    return prev_sample
