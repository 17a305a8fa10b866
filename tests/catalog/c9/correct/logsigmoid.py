import torch.nn.functional as F


def gan_losses(real_logits, fake_logits, non_saturating=True):
    """log D = logsigmoid(x), log(1 - D) = logsigmoid(-x)."""
    log_d_real = F.logsigmoid(real_logits)
    log_one_minus_d_fake = F.logsigmoid(-fake_logits)
    d_loss = -log_d_real.mean() - log_one_minus_d_fake.mean()
    if non_saturating:
        g_loss = -F.logsigmoid(fake_logits).mean()
    else:
        g_loss = log_one_minus_d_fake.mean()
    return d_loss, g_loss
