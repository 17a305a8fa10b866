MISTAKE = "no-training-parameter"
import torch


def reparameterize(mu, log_var):
    return mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
