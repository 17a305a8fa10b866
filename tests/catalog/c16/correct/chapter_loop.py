import torch


@torch.no_grad()
def ddpm_sample(eps_model, shape, noise_schedule, generator=None):
    # the chapter's sample(), without its final clamp, drawing from the generator
    betas = noise_schedule
    alphas = 1.0 - betas
    alpha_bars = torch.cumprod(alphas, dim=0)
    device = betas.device
    x = torch.randn(shape, generator=generator, dtype=betas.dtype, device=device)
    for t in reversed(range(len(betas))):
        t_batch = torch.full((shape[0],), t, device=device)
        pred_noise = eps_model(x, t_batch)
        alpha, alpha_bar, beta = alphas[t], alpha_bars[t], betas[t]
        x = (1 / alpha.sqrt()) * (x - (beta / (1 - alpha_bar).sqrt()) * pred_noise)
        if t > 0:
            noise = torch.randn(x.shape, generator=generator, dtype=x.dtype, device=device)
            x += beta.sqrt() * noise
    return x
