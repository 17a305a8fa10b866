"""The PyTorch examples' VAE loss_function with logits, divided by the batch size, beta on the KL."""
import torch
from torch.nn import functional as F


def negative_elbo(x, x_logits, mu, log_var, beta=1.0):
    BCE = F.binary_cross_entropy_with_logits(x_logits, x, reduction='sum')
    # see Appendix B from VAE paper: Kingma and Welling. Auto-Encoding Variational Bayes. ICLR, 2014
    KLD = -0.5 * torch.sum(1 + log_var - mu.pow(2) - log_var.exp())
    return (BCE + beta * KLD) / x.size(0)
