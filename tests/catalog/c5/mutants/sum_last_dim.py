MISTAKE = "sum-one-dim-only"
import torch
from torch.distributions import Normal, kl_divergence


def vae_kl_loss(mu, log_var):
    q = Normal(mu, torch.exp(0.5 * log_var))
    p = Normal(torch.zeros_like(mu), torch.ones_like(mu))
    return kl_divergence(q, p).sum(-1).mean()  # right for (B, D) only: sums W alone on (B, C, H, W)
