MISTAKE = "detached"
import torch.nn.functional as F


def gan_losses(real_logits, fake_logits, non_saturating=True):
    d = F.softplus(-real_logits).mean().item() + F.softplus(fake_logits).mean().item()
    g = F.softplus(-fake_logits).mean().item() if non_saturating else -F.softplus(fake_logits).mean().item()
    return real_logits.new_tensor(d), real_logits.new_tensor(g)
