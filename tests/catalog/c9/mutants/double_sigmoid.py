MISTAKE = "double-sigmoid"
import torch
from torch import nn

criterion = nn.BCEWithLogitsLoss()


def gan_losses(real_logits, fake_logits, non_saturating=True):
    d_real, d_fake = torch.sigmoid(real_logits), torch.sigmoid(fake_logits)  # D's probabilities...
    d_loss = criterion(d_real, torch.ones_like(d_real)) + criterion(d_fake, torch.zeros_like(d_fake))
    g_loss = criterion(d_fake, torch.ones_like(d_fake)) if non_saturating else -criterion(d_fake, torch.zeros_like(d_fake))
    return d_loss, g_loss
