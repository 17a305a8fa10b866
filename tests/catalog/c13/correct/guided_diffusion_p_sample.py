import numpy as np
import torch


def _extract_into_tensor(arr, timesteps, broadcast_shape):
    # openai/guided-diffusion gaussian_diffusion.py: float64 numpy buffer, gathered then .float()
    res = torch.from_numpy(arr).to(device=timesteps.device)[timesteps].float()
    while len(res.shape) < len(broadcast_shape):
        res = res[..., None]
    return res.expand(broadcast_shape)


def ddpm_reverse_step(eps_model, x_t, t, noise_schedule, noise=None):
    # openai/guided-diffusion p_sample (EPSILON, FIXED_LARGE, clip_denoised=False) as a function
    betas = noise_schedule.detach().cpu().numpy().astype(np.float64)
    alphas = 1.0 - betas
    alphas_cumprod = np.cumprod(alphas, axis=0)
    alphas_cumprod_prev = np.append(1.0, alphas_cumprod[:-1])
    posterior_variance = betas * (1.0 - alphas_cumprod_prev) / (1.0 - alphas_cumprod)
    log_variance = np.log(np.append(posterior_variance[1], betas[1:]))  # FIXED_LARGE
    coef1 = betas * np.sqrt(alphas_cumprod_prev) / (1.0 - alphas_cumprod)
    coef2 = (1.0 - alphas_cumprod_prev) * np.sqrt(alphas) / (1.0 - alphas_cumprod)
    ts = torch.full((x_t.shape[0],), t, dtype=torch.long, device=x_t.device)
    eps = eps_model(x_t, ts)
    pred_xstart = (_extract_into_tensor(np.sqrt(1.0 / alphas_cumprod), ts, x_t.shape) * x_t
                   - _extract_into_tensor(np.sqrt(1.0 / alphas_cumprod - 1), ts, x_t.shape) * eps)
    mean = (_extract_into_tensor(coef1, ts, x_t.shape) * pred_xstart
            + _extract_into_tensor(coef2, ts, x_t.shape) * x_t)
    if t == 0:  # the contract draws only for t > 0; guided-diffusion draws and masks
        return mean.to(x_t.dtype)
    if noise is None:
        noise = torch.randn_like(x_t)
    nonzero_mask = (ts != 0).float().view(-1, *([1] * (len(x_t.shape) - 1)))
    sample = mean + nonzero_mask * torch.exp(0.5 * _extract_into_tensor(log_variance, ts, x_t.shape)) * noise
    return sample.to(x_t.dtype)
