"""Variable-era GAN code: label tensors from .data.new(...).fill_(), squeezed logits."""
import torch
from torch.autograd import Variable
import torch.nn.functional as F


def gan_losses(real_logits, fake_logits, non_saturating=True):
    real_logits, fake_logits = real_logits.squeeze(-1) if real_logits.dim() > 1 else real_logits, \
        fake_logits.squeeze(-1) if fake_logits.dim() > 1 else fake_logits
    batch_size = real_logits.size(0)
    y_real = Variable(real_logits.data.new(batch_size).fill_(1))
    y_fake = Variable(fake_logits.data.new(batch_size).fill_(0))
    d_loss = F.binary_cross_entropy_with_logits(real_logits, y_real) + F.binary_cross_entropy_with_logits(fake_logits, y_fake)
    if non_saturating:
        g_loss = F.binary_cross_entropy_with_logits(fake_logits, y_real)
    else:
        g_loss = -F.binary_cross_entropy_with_logits(fake_logits, y_fake)
    return d_loss, g_loss
