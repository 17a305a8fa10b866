"""One-sided label smoothing (real label 0.9): a training trick, not the loss asked; no known mistake names it."""
MISTAKE = None
import torch
import torch.nn.functional as F


def gan_losses(real_logits, fake_logits, non_saturating=True):
    bce = F.binary_cross_entropy_with_logits
    d_loss = bce(real_logits, torch.full_like(real_logits, 0.9)) + bce(fake_logits, torch.zeros_like(fake_logits))
    g_loss = bce(fake_logits, torch.ones_like(fake_logits)) if non_saturating else -bce(fake_logits, torch.zeros_like(fake_logits))
    return d_loss, g_loss
