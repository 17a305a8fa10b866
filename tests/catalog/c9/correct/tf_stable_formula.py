import torch


def sigmoid_cross_entropy_with_logits(logits, labels):
    """TensorFlow's stable form: max(x, 0) - x * z + log(1 + exp(-|x|))."""
    return torch.clamp(logits, min=0) - logits * labels + torch.log1p(torch.exp(-torch.abs(logits)))


def gan_losses(real_logits, fake_logits, non_saturating=True):
    d_real = sigmoid_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
    d_fake = sigmoid_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    d_loss = torch.mean(d_real) + torch.mean(d_fake)
    if non_saturating:
        g_loss = torch.mean(sigmoid_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits)))
    else:
        g_loss = -torch.mean(d_fake)
    return d_loss, g_loss
