"""Exercise c10: one training step of a WGAN-GP critic."""

import torch


def wgan_gp_critic_step(critic, optimizer, real: torch.Tensor, fake: torch.Tensor, lambda_gp: float = 10.0) -> float:
    """One update of the critic of a WGAN-GP (Gulrajani et al. 2017):

        x_hat_i = eps_i * real_i + (1 - eps_i) * fake_i,   eps_i ~ U(0, 1), one per sample
        penalty = mean over i of (||grad_x critic(x_hat_i)||_2 - 1)^2   (exercise c3)
        loss    = mean critic(fake) - mean critic(real) + lambda_gp * penalty

    then: zero the gradients, backpropagate the loss, and take exactly one optimizer step.
    `fake` comes from the generator: it must stay a constant here (no gradient may reach the
    generator). The critic may be called once per batch (real, fake, x_hat) or on their
    concatenation.

    Args:
        critic: a module mapping a batch shaped like `real` to scores of shape (B,) or (B, 1).
        optimizer: the critic's optimizer (zero_grad(), step()).
        real: a batch of real samples, shape (B, ...), float32 or float64, on any device.
        fake: a batch of generated samples, same shape, dtype and device (it may require grad).
        lambda_gp: the weight of the gradient penalty.

    Returns:
        the loss before the step, as a Python float.
    """
    raise NotImplementedError("c10: implement wgan_gp_critic_step")
