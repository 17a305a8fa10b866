MISTAKE = "d-loss-averaged"
import torch
import torch.nn.functional as F


def gan_losses(real_logits, fake_logits, non_saturating=True):
    """One BCE over the concatenated batch: its mean halves the sum of the two means."""
    logits = torch.cat([real_logits, fake_logits])
    labels = torch.cat([torch.ones_like(real_logits), torch.zeros_like(fake_logits)])
    d_loss = F.binary_cross_entropy_with_logits(logits, labels)
    if non_saturating:
        g_loss = F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))
    else:
        g_loss = -F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    return d_loss, g_loss
