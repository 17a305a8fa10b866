MISTAKE = "modifies-input"
import torch.nn.functional as F


def gan_losses(real_logits, fake_logits, non_saturating=True):
    d_loss = F.softplus(real_logits.neg_()).mean() + F.softplus(fake_logits).mean()  # neg_ flips the caller's tensor
    g_loss = F.softplus(-fake_logits).mean() if non_saturating else -F.softplus(fake_logits).mean()
    return d_loss, g_loss
