import torch


def reparameterize(mu: torch.Tensor, log_var: torch.Tensor, training: bool = True) -> torch.Tensor:
    if training is False:
        return mu
    sigma = torch.exp(0.5 * log_var)
    noise = torch.randn(mu.size(), dtype=mu.dtype, device=mu.device)
    z = mu + sigma * noise
    return z
