import numpy as np
import torch as th


def _extract_into_tensor(arr, timesteps, broadcast_shape):
    res = th.from_numpy(arr).to(device=timesteps.device)[timesteps].float()
    while len(res.shape) < len(broadcast_shape):
        res = res[..., None]
    return res.expand(broadcast_shape)


def mean_flat(tensor):
    return tensor.mean(dim=list(range(1, len(tensor.shape))))


def ddpm_loss(eps_model, x0, noise_schedule):
    betas = noise_schedule.detach().cpu().numpy().astype(np.float64)
    alphas_cumprod = np.cumprod(1.0 - betas, axis=0)
    w = np.ones([len(betas)])  # UniformSampler
    p = w / np.sum(w)
    indices_np = np.random.choice(len(p), size=(x0.shape[0],), p=p)
    t = th.from_numpy(indices_np).long().to(x0.device)
    noise = th.randn_like(x0)
    x_t = (_extract_into_tensor(np.sqrt(alphas_cumprod), t, x0.shape) * x0
           + _extract_into_tensor(np.sqrt(1.0 - alphas_cumprod), t, x0.shape) * noise)
    model_output = eps_model(x_t.to(x0.dtype), t)
    return mean_flat((noise - model_output) ** 2).mean()
