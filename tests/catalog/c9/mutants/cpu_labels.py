MISTAKE = "hard-coded-device"
import torch
import torch.nn.functional as F


def gan_losses(real_logits, fake_logits, non_saturating=True):
    ones = torch.ones(real_logits.shape, dtype=real_logits.dtype)
    zeros = torch.zeros(fake_logits.shape, dtype=fake_logits.dtype)
    d_loss = F.binary_cross_entropy_with_logits(real_logits, ones) + F.binary_cross_entropy_with_logits(fake_logits, zeros)
    g_loss = F.binary_cross_entropy_with_logits(fake_logits, ones) if non_saturating else \
        -F.binary_cross_entropy_with_logits(fake_logits, zeros)
    return d_loss, g_loss
