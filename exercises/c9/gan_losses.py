"""Exercise c9: the discriminator's and the generator's losses of a GAN, from logits."""

import torch


def gan_losses(real_logits: torch.Tensor, fake_logits: torch.Tensor, non_saturating: bool = True):
    """The GAN losses, computed from D's logits (D(x) = sigmoid(logit)):

        d_loss = -mean log sigmoid(real_logits) - mean log(1 - sigmoid(fake_logits))
        g_loss = -mean log sigmoid(fake_logits)          if non_saturating
                  mean log(1 - sigmoid(fake_logits))     otherwise (the saturating loss)

    Both values and gradients must be right for logits as large as +-100.

    Args:
        real_logits: D's logits on a batch of real data, shape (B,) or (B, 1).
        fake_logits: D's logits on a batch of generated data, same shape.
        non_saturating: which generator loss to return.

    Returns:
        (d_loss, g_loss), two 0-dim tensors in the logits' dtype.
    """
    raise NotImplementedError("c9: implement gan_losses")
