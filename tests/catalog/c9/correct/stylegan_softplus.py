"""StyleGAN2-ADA's logistic losses: softplus on the logits, non-saturating and saturating G."""
import torch


def gan_losses(real_logits, fake_logits, non_saturating=True):
    loss_Dgen = torch.nn.functional.softplus(fake_logits)  # -log(1 - sigmoid(gen_logits))
    loss_Dreal = torch.nn.functional.softplus(-real_logits)  # -log(sigmoid(real_logits))
    if non_saturating:
        loss_Gmain = torch.nn.functional.softplus(-fake_logits)  # -log(sigmoid(gen_logits))
    else:
        loss_Gmain = -torch.nn.functional.softplus(fake_logits)  # log(1 - sigmoid(gen_logits))
    return loss_Dgen.mean() + loss_Dreal.mean(), loss_Gmain.mean()
