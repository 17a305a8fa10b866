"""tf.nn.sigmoid_cross_entropy_with_logits' stable formula, max(l, 0) - l * x + log(1 + exp(-|l|)), with AntixK/PyTorch-VAE's KL (sum over latents, batch mean)."""
import torch


def negative_elbo(x, x_logits, mu, log_var, beta=1.0):
    l = x_logits
    bce = torch.relu(l) - l * x + torch.log1p(torch.exp(-torch.abs(l)))
    recons_loss = bce.reshape(x.shape[0], -1).sum(dim=1).mean(dim=0)
    mu, log_var = mu.flatten(1), log_var.flatten(1)
    kld_loss = torch.mean(-0.5 * torch.sum(1 + log_var - mu ** 2 - log_var.exp(), dim=1), dim=0)
    return recons_loss + beta * kld_loss
