MISTAKE = "no-return"
import torch.nn.functional as F


def gan_losses(real_logits, fake_logits, non_saturating=True):
    d_loss = F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()
    g_loss = F.softplus(-fake_logits).mean() if non_saturating else -F.softplus(fake_logits).mean()
