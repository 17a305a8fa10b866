MISTAKE = "sigmoid-then-log"
import torch


def gan_losses(real_logits, fake_logits, non_saturating=True):
    """The tutorial's guard against log(0): a small epsilon inside the log."""
    eps = 1e-8
    d_real, d_fake = torch.sigmoid(real_logits), torch.sigmoid(fake_logits)
    d_loss = -torch.mean(torch.log(d_real + eps) + torch.log(1 - d_fake + eps))
    g_loss = -torch.mean(torch.log(d_fake + eps)) if non_saturating else torch.mean(torch.log(1 - d_fake + eps))
    return d_loss, g_loss
