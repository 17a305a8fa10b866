"""Exercise c3: the gradient penalty of WGAN-GP."""

import torch


def gradient_penalty(critic, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """The WGAN-GP gradient penalty (unweighted: the caller multiplies it by lambda).

        x_hat_i = eps_i * real_i + (1 - eps_i) * fake_i,   eps_i ~ U(0, 1), one per sample
        penalty = mean over i of (||grad_x critic(x_hat_i)||_2 - 1)^2

    where the norm of each sample's gradient runs over all of its non-batch dimensions.
    The penalty must stay differentiable with respect to the critic's parameters, so
    that the critic's training step can backpropagate through it.

    Args:
        critic: a module (or function) mapping a batch shaped like `real` to scores of
            shape (B,) or (B, 1).
        real: a batch of real samples, shape (B, ...), float32 or float64, on any device.
        fake: a batch of generated samples, same shape, dtype and device as real.

    Returns:
        a 0-dim tensor of real's dtype, on real's device.
    """
    raise NotImplementedError("c3: implement gradient_penalty")
