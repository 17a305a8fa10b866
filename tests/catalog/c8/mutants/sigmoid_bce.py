MISTAKE = "sigmoid-then-bce"
import torch
import torch.nn.functional as F


def negative_elbo(x, x_logits, mu, log_var, beta=1.0):
    """A decoder ending in Sigmoid, then F.binary_cross_entropy, as in many VAE tutorials."""
    recon_x = torch.sigmoid(x_logits)
    bce = F.binary_cross_entropy(recon_x, x, reduction='none').view(x.size(0), -1).sum(1)
    kld = -0.5 * torch.sum(1 + log_var - mu.pow(2) - log_var.exp(), dim=1)
    return (bce + beta * kld).mean()
