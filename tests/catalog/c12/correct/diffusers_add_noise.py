import torch
import torch.nn.functional as F


def add_noise(alphas_cumprod, original_samples, noise, timesteps):
    # diffusers' DDPMScheduler.add_noise
    alphas_cumprod = alphas_cumprod.to(device=original_samples.device, dtype=original_samples.dtype)
    timesteps = timesteps.to(original_samples.device)
    sqrt_alpha_prod = alphas_cumprod[timesteps] ** 0.5
    sqrt_alpha_prod = sqrt_alpha_prod.flatten()
    while len(sqrt_alpha_prod.shape) < len(original_samples.shape):
        sqrt_alpha_prod = sqrt_alpha_prod.unsqueeze(-1)
    sqrt_one_minus_alpha_prod = (1 - alphas_cumprod[timesteps]) ** 0.5
    sqrt_one_minus_alpha_prod = sqrt_one_minus_alpha_prod.flatten()
    while len(sqrt_one_minus_alpha_prod.shape) < len(original_samples.shape):
        sqrt_one_minus_alpha_prod = sqrt_one_minus_alpha_prod.unsqueeze(-1)
    return sqrt_alpha_prod * original_samples + sqrt_one_minus_alpha_prod * noise


def ddpm_loss(eps_model, x0, noise_schedule):
    alphas_cumprod = torch.cumprod(1.0 - noise_schedule, dim=0)
    noise = torch.randn(x0.shape, device=x0.device, dtype=x0.dtype)
    bsz = x0.shape[0]
    timesteps = torch.randint(0, len(noise_schedule), (bsz,), device=x0.device).long()
    noisy = add_noise(alphas_cumprod, x0, noise, timesteps)
    model_pred = eps_model(noisy, timesteps)
    return F.mse_loss(model_pred, noise, reduction="mean")
