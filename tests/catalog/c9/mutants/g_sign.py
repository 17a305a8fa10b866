MISTAKE = "g-loss-sign"
import torch.nn.functional as F


def gan_losses(real_logits, fake_logits, non_saturating=True):
    d_loss = -F.logsigmoid(real_logits).mean() - F.logsigmoid(-fake_logits).mean()
    if non_saturating:
        g_loss = F.logsigmoid(fake_logits).mean()  # log D(G(z)), to maximize, returned as the loss
    else:
        g_loss = F.logsigmoid(-fake_logits).mean()
    return d_loss, g_loss
