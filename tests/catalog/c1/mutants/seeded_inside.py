MISTAKE = "eps-reused"
import torch


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    torch.manual_seed(0)  # "for reproducibility"
    return mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
