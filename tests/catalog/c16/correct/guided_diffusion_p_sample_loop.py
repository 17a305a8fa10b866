import numpy as np
import torch


def _extract_into_tensor(arr, timesteps, broadcast_shape):
    # openai/guided-diffusion gaussian_diffusion.py: float64 numpy buffer, gathered then .float()
    res = torch.from_numpy(arr).to(device=timesteps.device)[timesteps].float()
    while len(res.shape) < len(broadcast_shape):
        res = res[..., None]
    return res.expand(broadcast_shape)


def ddpm_sample(eps_model, shape, noise_schedule, generator=None):
    # openai/guided-diffusion p_sample_loop (EPSILON, FIXED_LARGE, clip_denoised=False); its
    # th.randn(*shape) and th.randn_like(x) turned into draws from the generator (the contract).
    # As there, every step draws noise, and t = 0 masks it out.
    betas = noise_schedule.detach().cpu().numpy().astype(np.float64)
    alphas = 1.0 - betas
    alphas_cumprod = np.cumprod(alphas, axis=0)
    alphas_cumprod_prev = np.append(1.0, alphas_cumprod[:-1])
    posterior_variance = betas * (1.0 - alphas_cumprod_prev) / (1.0 - alphas_cumprod)
    log_variance = np.log(np.append(posterior_variance[1], betas[1:]))
    coef1 = betas * np.sqrt(alphas_cumprod_prev) / (1.0 - alphas_cumprod)
    coef2 = (1.0 - alphas_cumprod_prev) * np.sqrt(alphas) / (1.0 - alphas_cumprod)
    device, dtype = noise_schedule.device, noise_schedule.dtype
    img = torch.randn(*shape, generator=generator, device=device, dtype=dtype)
    with torch.no_grad():
        for i in list(range(len(betas)))[::-1]:
            t = torch.tensor([i] * shape[0], device=device)
            eps = eps_model(img, t)
            pred_xstart = (_extract_into_tensor(np.sqrt(1.0 / alphas_cumprod), t, img.shape) * img
                           - _extract_into_tensor(np.sqrt(1.0 / alphas_cumprod - 1), t, img.shape) * eps)
            mean = (_extract_into_tensor(coef1, t, img.shape) * pred_xstart
                    + _extract_into_tensor(coef2, t, img.shape) * img)
            noise = torch.randn(img.shape, generator=generator, device=device, dtype=dtype)
            nonzero_mask = (t != 0).float().view(-1, *([1] * (len(img.shape) - 1)))
            img = (mean + nonzero_mask * torch.exp(0.5 * _extract_into_tensor(log_variance, t, img.shape))
                   * noise).to(dtype)
    return img
