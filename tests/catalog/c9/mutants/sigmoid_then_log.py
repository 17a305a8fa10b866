MISTAKE = "sigmoid-then-log"
import torch


def gan_losses(real_logits, fake_logits, non_saturating=True):
    d_real, d_fake = torch.sigmoid(real_logits), torch.sigmoid(fake_logits)
    d_loss = -torch.mean(torch.log(d_real)) - torch.mean(torch.log(1 - d_fake))
    g_loss = -torch.mean(torch.log(d_fake)) if non_saturating else torch.mean(torch.log(1 - d_fake))
    return d_loss, g_loss
