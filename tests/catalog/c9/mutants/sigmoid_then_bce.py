MISTAKE = "sigmoid-then-bce"
import torch
from torch import nn

bce = nn.BCELoss()


def gan_losses(real_logits, fake_logits, non_saturating=True):
    """The DCGAN example with a Sigmoid at the end of D, then nn.BCELoss."""
    output_real, output_fake = torch.sigmoid(real_logits), torch.sigmoid(fake_logits)
    err_real = bce(output_real, torch.ones_like(output_real))
    err_fake = bce(output_fake, torch.zeros_like(output_fake))
    d_loss = err_real + err_fake
    g_loss = bce(output_fake, torch.ones_like(output_fake)) if non_saturating else -err_fake
    return d_loss, g_loss
