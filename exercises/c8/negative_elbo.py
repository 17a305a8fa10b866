"""Exercise c8: the VAE's loss, the negative ELBO, for a Bernoulli decoder given by logits."""

import torch


def negative_elbo(x: torch.Tensor, x_logits: torch.Tensor, mu: torch.Tensor, log_var: torch.Tensor,
                  beta: float = 1.0) -> torch.Tensor:
    """The beta-VAE loss, per sample

        reconstruction = sum over non-batch dims of BCE(x_logits, x),
            BCE = -[x log sigmoid(l) + (1 - x) log(1 - sigmoid(l))]
        kl = 0.5 * sum over latent dims of (mu^2 + exp(log_var) - 1 - log_var)
        loss = reconstruction + beta * kl

    averaged over the batch. Values and gradients must be right for logits up to +-100.

    Args:
        x: the data, shape (B, ...), values in [0, 1] (soft targets allowed).
        x_logits: the decoder's logits, same shape as x.
        mu, log_var: the encoder's outputs, shape (B, ...) each.
        beta: the weight of the KL term.

    Returns:
        a 0-dim tensor in x's dtype, differentiable with respect to x_logits, mu and log_var.
    """
    raise NotImplementedError("c8: implement negative_elbo")
