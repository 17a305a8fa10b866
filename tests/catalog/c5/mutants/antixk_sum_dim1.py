MISTAKE = "sum-one-dim-only"
# AntixK/PyTorch-VAE (models/vanilla_vae.py, loss_function), the KL term as a function: summed over
# dim 1, averaged over dim 0. Right for (B, D) latents; for (B, C, H, W) it returns an (H, W) tensor.
import torch


def vae_kl_loss(mu, log_var):
    kld_loss = torch.mean(-0.5 * torch.sum(1 + log_var - mu ** 2 - log_var.exp(), dim=1), dim=0)
    return kld_loss
