import numpy as np
import torch


def _extract_into_tensor(arr, timesteps, broadcast_shape):
    # openai/guided-diffusion gaussian_diffusion.py: float64 numpy buffer, gathered then .float()
    res = torch.from_numpy(arr).to(device=timesteps.device)[timesteps].float()
    while len(res.shape) < len(broadcast_shape):
        res = res[..., None]
    return res.expand(broadcast_shape)


def ddim_step(eps_model, x_t, t, t_prev, noise_schedule, eta=0.0, noise=None):
    # openai/guided-diffusion ddim_sample (clip_denoised=False), eps recomputed from pred_xstart as there;
    # t_prev read from a buffer with 1.0 prepended (guided-diffusion's steps are always t - 1)
    betas = noise_schedule.detach().cpu().numpy().astype(np.float64)
    alphas_cumprod = np.cumprod(1.0 - betas, axis=0)
    ab_padded = np.append(1.0, alphas_cumprod)
    ts = torch.full((x_t.shape[0],), t, dtype=torch.long, device=x_t.device)
    prev = torch.full_like(ts, t_prev + 1)
    model_output = eps_model(x_t, ts)
    pred_xstart = (_extract_into_tensor(np.sqrt(1.0 / alphas_cumprod), ts, x_t.shape) * x_t
                   - _extract_into_tensor(np.sqrt(1.0 / alphas_cumprod - 1), ts, x_t.shape) * model_output)
    eps = (_extract_into_tensor(np.sqrt(1.0 / alphas_cumprod), ts, x_t.shape) * x_t - pred_xstart) \
        / _extract_into_tensor(np.sqrt(1.0 / alphas_cumprod - 1), ts, x_t.shape)
    alpha_bar = _extract_into_tensor(alphas_cumprod, ts, x_t.shape)
    alpha_bar_prev = _extract_into_tensor(ab_padded, prev, x_t.shape)
    sigma = eta * torch.sqrt((1 - alpha_bar_prev) / (1 - alpha_bar)) * torch.sqrt(1 - alpha_bar / alpha_bar_prev)
    mean_pred = pred_xstart * torch.sqrt(alpha_bar_prev) + torch.sqrt(
        (1 - alpha_bar_prev - sigma ** 2).clamp(min=0)) * eps
    if eta == 0:
        return mean_pred.to(x_t.dtype)
    if noise is None:
        noise = torch.randn_like(x_t)
    return (mean_pred + sigma * noise).to(x_t.dtype)
