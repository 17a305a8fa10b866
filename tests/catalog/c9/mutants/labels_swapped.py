MISTAKE = "labels-swapped"
import torch
import torch.nn.functional as F


def gan_losses(real_logits, fake_logits, non_saturating=True):
    real_label, fake_label = 0.0, 1.0  # swapped
    bce = F.binary_cross_entropy_with_logits
    d_loss = bce(real_logits, torch.full_like(real_logits, real_label)) + \
        bce(fake_logits, torch.full_like(fake_logits, fake_label))
    if non_saturating:
        g_loss = bce(fake_logits, torch.full_like(fake_logits, real_label))
    else:
        g_loss = -bce(fake_logits, torch.full_like(fake_logits, fake_label))
    return d_loss, g_loss
