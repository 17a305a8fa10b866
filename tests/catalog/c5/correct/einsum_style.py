import torch


def vae_kl_loss(mu, log_var):
    batch = mu.shape[0]
    var = log_var.exp()
    flat_mu = mu.view(batch, -1)
    per_sample = 0.5 * (torch.einsum("bi,bi->b", flat_mu, flat_mu) + (var - 1 - log_var).view(batch, -1).sum(-1))
    return per_sample.mean()
