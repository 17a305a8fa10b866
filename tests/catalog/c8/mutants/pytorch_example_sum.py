MISTAKE = "sum-over-batch"
import torch
import torch.nn.functional as F


def negative_elbo(x, x_logits, mu, log_var, beta=1.0):
    """The PyTorch examples' VAE loss_function, with logits: summed over the whole batch."""
    BCE = F.binary_cross_entropy_with_logits(x_logits, x, reduction='sum')
    KLD = -0.5 * torch.sum(1 + log_var - mu.pow(2) - log_var.exp())
    return BCE + beta * KLD
