# lucidrains/denoising-diffusion-pytorch's GaussianDiffusion.p_losses and its Trainer loop, turned
# into functions: float32 buffers, extract() with gather, F.mse_loss with reduction="none", and the
# Trainer's gradient clipping (max_grad_norm = 1.0) before the step.
import torch
import torch.nn.functional as F


def extract(a, t, x_shape):
    b, *_ = t.shape
    out = a.gather(-1, t)
    return out.reshape(b, *((1,) * (len(x_shape) - 1)))


def p_losses(model, x_start, t, sqrt_alphas_cumprod, sqrt_one_minus_alphas_cumprod, noise=None):
    noise = noise if noise is not None else torch.randn_like(x_start)
    x = extract(sqrt_alphas_cumprod, t, x_start.shape) * x_start + \
        extract(sqrt_one_minus_alphas_cumprod, t, x_start.shape) * noise
    model_out = model(x, t)
    loss = F.mse_loss(model_out, noise, reduction="none")
    loss = loss.reshape(loss.shape[0], -1).mean(dim=1)
    return loss.mean()


def train_ddpm(eps_model, data, noise_schedule, steps, lr=1e-3, batch_size=256):
    betas = noise_schedule.float()
    alphas_cumprod = torch.cumprod(1.0 - betas, dim=0)
    sqrt_alphas_cumprod = torch.sqrt(alphas_cumprod)
    sqrt_one_minus_alphas_cumprod = torch.sqrt(1.0 - alphas_cumprod)
    opt = torch.optim.Adam(eps_model.parameters(), lr=lr, betas=(0.9, 0.999))
    num_timesteps = int(betas.shape[0])
    losses = []
    for step in range(steps):
        idx = torch.randint(0, len(data), (batch_size,), device=data.device)
        x_start = data[idx]
        t = torch.randint(0, num_timesteps, (batch_size,), device=data.device).long()
        loss = p_losses(eps_model, x_start, t, sqrt_alphas_cumprod, sqrt_one_minus_alphas_cumprod)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(eps_model.parameters(), 1.0)
        opt.step()
        opt.zero_grad()
        losses.append(loss.item())
    return losses
