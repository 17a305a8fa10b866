"""Exercise c23: one step of Langevin dynamics on an energy-based model."""

import torch


def langevin_step(energy, x: torch.Tensor, step_size: float, noise=None) -> torch.Tensor:
    """One step of unadjusted Langevin dynamics towards p(x) proportional to exp(-energy(x)).

        x_new = x - (step_size / 2) * grad_x sum_i energy(x)_i + sqrt(step_size) * z

    with z ~ N(0, I) shaped like x, drawn fresh on every call, or `noise` when it is given.
    The gradient is that of the SUM of the per-sample energies, so each sample moves by the
    gradient of its own energy.

    Args:
        energy: maps a batch (B, ...) to energies of shape (B,); it may have parameters.
        x: the current samples, (B, ...), float32 or float64.
        step_size: the step h > 0 (a Python float).
        noise: optional, a tensor shaped like x to use as z.

    Returns:
        x_new, shaped like x, with no autograd graph attached. x itself is left unchanged
        (its values and its requires_grad), the energy's parameters get no .grad, and the
        step works whether or not the caller is inside torch.no_grad().
    """
    raise NotImplementedError("c23: implement langevin_step")
