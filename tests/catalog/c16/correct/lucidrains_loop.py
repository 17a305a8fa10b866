import torch


def extract(a, t, x_shape):
    b, *_ = t.shape
    out = a.gather(-1, t)
    return out.reshape(b, *((1,) * (len(x_shape) - 1)))


def ddpm_sample(eps_model, shape, noise_schedule, generator=None):
    # lucidrains' p_sample_loop: float32 buffers, inference mode, no clipping, variance beta_t
    betas = noise_schedule.float()
    alphas_cumprod = torch.cumprod(1.0 - betas, dim=0)
    sqrt_recip_alphas = torch.sqrt(1.0 / (1.0 - betas))
    eps_coef = betas / torch.sqrt(1.0 - alphas_cumprod)
    with torch.inference_mode():
        img = torch.randn(shape, generator=generator, device=noise_schedule.device, dtype=noise_schedule.dtype)
        for t in reversed(range(0, len(betas))):
            batched_times = torch.full((shape[0],), t, device=img.device, dtype=torch.long)
            pred_noise = eps_model(img, batched_times)
            model_mean = extract(sqrt_recip_alphas, batched_times, img.shape) * (
                img - extract(eps_coef, batched_times, img.shape) * pred_noise)
            noise = torch.randn(img.shape, generator=generator, device=img.device, dtype=img.dtype) if t > 0 else 0.0
            img = (model_mean + extract(betas.sqrt(), batched_times, img.shape) * noise).to(noise_schedule.dtype)
    return img.clone()
