"""Reference solution of exercise c9."""

import torch.nn.functional as F


def gan_losses(real_logits, fake_logits, non_saturating=True):
    """log sigmoid(x) = -softplus(-x) and log(1 - sigmoid(x)) = -softplus(x): exact at any logit."""
    d_loss = F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()
    g_loss = F.softplus(-fake_logits).mean() if non_saturating else -F.softplus(fake_logits).mean()
    return d_loss, g_loss
