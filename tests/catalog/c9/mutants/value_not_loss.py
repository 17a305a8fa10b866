MISTAKE = "sign-error"
import torch.nn.functional as F


def gan_losses(real_logits, fake_logits, non_saturating=True):
    """D's objective V(D, G) returned as d_loss: D would minimize what it should maximize."""
    d_loss = F.logsigmoid(real_logits).mean() + F.logsigmoid(-fake_logits).mean()
    g_loss = -F.logsigmoid(fake_logits).mean() if non_saturating else F.logsigmoid(-fake_logits).mean()
    return d_loss, g_loss
