MISTAKE = "sum-over-batch"
import torch.nn.functional as F


def gan_losses(real_logits, fake_logits, non_saturating=True):
    d_loss = F.softplus(-real_logits).sum() + F.softplus(fake_logits).sum()
    g_loss = F.softplus(-fake_logits).sum() if non_saturating else -F.softplus(fake_logits).sum()
    return d_loss, g_loss
