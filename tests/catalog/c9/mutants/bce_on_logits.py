MISTAKE = "logits-as-probabilities"
import torch
import torch.nn.functional as F


def gan_losses(real_logits, fake_logits, non_saturating=True):
    d_loss = F.binary_cross_entropy(real_logits, torch.ones_like(real_logits)) + \
        F.binary_cross_entropy(fake_logits, torch.zeros_like(fake_logits))
    if non_saturating:
        g_loss = F.binary_cross_entropy(fake_logits, torch.ones_like(fake_logits))
    else:
        g_loss = -F.binary_cross_entropy(fake_logits, torch.zeros_like(fake_logits))
    return d_loss, g_loss
