import torch


def vae_kl_loss(mu: torch.Tensor, log_var: torch.Tensor) -> torch.Tensor:
    total = 0.5 * (mu * mu + torch.exp(log_var) - 1.0 - log_var).sum()
    return total / mu.size(0)
