MISTAKE = "logvar-as-logstd"
import torch


def vae_kl_loss(mu, log_var):
    var = torch.exp(2 * log_var)
    return 0.5 * (mu**2 + var - 1 - torch.log(var)).flatten(1).sum(1).mean()
