MISTAKE = None  # eps truncated to +-2.3 sigma (as a ViT initializer does): the tails are missing
import torch


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    eps = torch.nn.init.trunc_normal_(torch.empty_like(mu), a=-2.3, b=2.3)
    return mu + torch.exp(0.5 * log_var) * eps
