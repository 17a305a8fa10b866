import torch


def extract(a, t, x_shape):
    b, *_ = t.shape
    out = a.gather(-1, t)
    return out.reshape(b, *((1,) * (len(x_shape) - 1)))


def ddpm_reverse_step(eps_model, x_t, t, noise_schedule, noise=None):
    # lucidrains' p_sample with clip_denoised=False and the variance beta_t; float32 buffers as there
    betas = noise_schedule.float()
    alphas_cumprod = torch.cumprod(1.0 - betas, dim=0)
    alphas_cumprod_prev = torch.cat([alphas_cumprod.new_ones(1), alphas_cumprod[:-1]])
    sqrt_recip_alphas_cumprod = torch.sqrt(1.0 / alphas_cumprod)
    sqrt_recipm1_alphas_cumprod = torch.sqrt(1.0 / alphas_cumprod - 1)
    posterior_mean_coef1 = betas * torch.sqrt(alphas_cumprod_prev) / (1.0 - alphas_cumprod)
    posterior_mean_coef2 = (1.0 - alphas_cumprod_prev) * torch.sqrt(1.0 - betas) / (1.0 - alphas_cumprod)
    log_variance = torch.log(betas)
    b = x_t.shape[0]
    batched_times = torch.full((b,), t, device=x_t.device, dtype=torch.long)
    pred_noise = eps_model(x_t, batched_times)
    x_start = (extract(sqrt_recip_alphas_cumprod, batched_times, x_t.shape) * x_t
               - extract(sqrt_recipm1_alphas_cumprod, batched_times, x_t.shape) * pred_noise)
    model_mean = (extract(posterior_mean_coef1, batched_times, x_t.shape) * x_start
                  + extract(posterior_mean_coef2, batched_times, x_t.shape) * x_t)
    model_log_variance = extract(log_variance, batched_times, x_t.shape)
    if noise is None:
        noise = torch.randn_like(x_t)
    noise = noise if t > 0 else 0.0
    return (model_mean + (0.5 * model_log_variance).exp() * noise).to(x_t.dtype)
