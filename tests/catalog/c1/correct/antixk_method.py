# AntixK/PyTorch-VAE (models/vanilla_vae.py), `reparameterize`, a method turned into a function.
import torch
from torch import Tensor


def reparameterize(mu: Tensor, log_var: Tensor, training: bool = True) -> Tensor:
    """
    Reparameterization trick to sample from N(mu, var) from
    N(0,1).
    :param mu: (Tensor) Mean of the latent Gaussian [B x D]
    :param log_var: (Tensor) Standard deviation of the latent Gaussian [B x D]
    :return: (Tensor) [B x D]
    """
    if not training:
        return mu
    std = torch.exp(0.5 * log_var)
    eps = torch.randn_like(std)
    return eps * std + mu
