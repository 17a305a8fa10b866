"""1Konny/Beta-VAE's reconstruction_loss ('bernoulli') and kl_divergence, as functions."""
import torch
import torch.nn.functional as F


def reconstruction_loss(x, x_recon):
    batch_size = x.size(0)
    assert batch_size != 0
    return F.binary_cross_entropy_with_logits(x_recon, x, reduction='sum').div(batch_size)


def kl_divergence(mu, logvar):
    batch_size = mu.size(0)
    assert batch_size != 0
    if mu.data.ndimension() == 4:
        mu = mu.view(mu.size(0), mu.size(1))
    if logvar.data.ndimension() == 4:
        logvar = logvar.view(logvar.size(0), logvar.size(1))
    klds = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp())
    total_kld = klds.sum(1).mean(0, True)
    return total_kld


def negative_elbo(x, x_logits, mu, log_var, beta=1.0):
    recon_loss = reconstruction_loss(x, x_logits)
    total_kld = kl_divergence(mu.flatten(1), log_var.flatten(1))
    return (recon_loss + beta * total_kld).squeeze(0)
