import torch


def add_noise(x0, t, noise_schedule, noise=None):
    """alpha_bar via a cumulative sum of logs: exp(sum log(1 - beta))."""
    if noise is None:
        noise = torch.normal(torch.zeros_like(x0), torch.ones_like(x0))
    log_alpha_bar = torch.cumsum(torch.log1p(-noise_schedule), dim=0)[t]
    if log_alpha_bar.dim() > 0:
        log_alpha_bar = log_alpha_bar.reshape(x0.shape[:1] + (1,) * (x0.dim() - 1))
    signal = torch.exp(0.5 * log_alpha_bar)
    sigma = torch.sqrt(-torch.expm1(log_alpha_bar))
    return signal * x0 + sigma * noise, noise
