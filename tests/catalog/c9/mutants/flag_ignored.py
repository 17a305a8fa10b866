MISTAKE = "ignores-non-saturating-flag"
import torch
import torch.nn.functional as F


def gan_losses(real_logits, fake_logits, non_saturating=True):
    ones, zeros = torch.ones_like(real_logits), torch.zeros_like(fake_logits)
    d_loss = F.binary_cross_entropy_with_logits(real_logits, ones) + F.binary_cross_entropy_with_logits(fake_logits, zeros)
    g_loss = F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))
    return d_loss, g_loss
