import torch
from torch.distributions import Bernoulli


def gan_losses(real_logits, fake_logits, non_saturating=True):
    """D's output as a Bernoulli over 'real': the losses are negative log-likelihoods."""
    on_real, on_fake = Bernoulli(logits=real_logits), Bernoulli(logits=fake_logits)
    d_loss = -on_real.log_prob(torch.ones_like(real_logits)).mean() - on_fake.log_prob(torch.zeros_like(fake_logits)).mean()
    if non_saturating:
        g_loss = -on_fake.log_prob(torch.ones_like(fake_logits)).mean()
    else:
        g_loss = on_fake.log_prob(torch.zeros_like(fake_logits)).mean()
    return d_loss, g_loss
