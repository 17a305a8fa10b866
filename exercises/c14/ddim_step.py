"""Exercise c14: one DDIM step, x_t -> x_{t_prev} (Song et al. 2021, eq. 12)."""

import torch


def ddim_step(eps_model, x_t: torch.Tensor, t: int, t_prev: int, noise_schedule: torch.Tensor,
              eta: float = 0.0, noise: torch.Tensor | None = None) -> torch.Tensor:
    """One DDIM update from step t to an earlier step t_prev (ab = alpha_bar):

        eps     = eps_model(x_t, t_batch)
        x0_pred = (x_t - sqrt(1 - ab_t) * eps) / sqrt(ab_t)
        sigma   = eta * sqrt((1 - ab_prev) / (1 - ab_t)) * sqrt(1 - ab_t / ab_prev)
        x_prev  = sqrt(ab_prev) * x0_pred + sqrt(max(1 - ab_prev - sigma^2, 0)) * eps + sigma * z

    with ab_t = prod_{s <= t} (1 - beta_s); t_prev = -1 means ab_prev = 1 (the clean end, NOT
    alpha_bar at index 0). eta = 0 is deterministic DDIM: no noise is drawn at all; eta = 1
    gives DDPM's variance. The predicted x0 is not clipped.

    Args:
        eps_model: called once, eps_model(x_t, t_batch), t_batch a LongTensor (B,) holding t.
        x_t: the batch at step t, shape (B, ...), float32 or float64, on any device.
        t, t_prev: ints, 0-based, -1 <= t_prev < t.
        noise_schedule: 1-D tensor of betas (beta_1..beta_T at indices 0..T-1), x_t's dtype and device.
        eta: in [0, 1].
        noise: z to use, shaped like x_t; if None and eta > 0, draw a fresh standard normal.

    Returns:
        x_prev shaped like x_t, in its dtype.
    """
    raise NotImplementedError("c14: implement ddim_step")
