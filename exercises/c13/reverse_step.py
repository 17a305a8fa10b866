"""Exercise c13: one step of DDPM ancestral sampling, x_t -> x_{t-1}."""

import torch


def ddpm_reverse_step(eps_model, x_t: torch.Tensor, t: int, noise_schedule: torch.Tensor,
                      noise: torch.Tensor | None = None) -> torch.Tensor:
    """One reverse step of a DDPM (Ho et al. 2020, Algorithm 2):

        alpha_t = 1 - beta_t,   alpha_bar_t = prod_{s <= t} (1 - beta_s)
        mean = (x_t - beta_t / sqrt(1 - alpha_bar_t) * eps_model(x_t, t)) / sqrt(alpha_t)
        x_{t-1} = mean + sigma_t * z,   sigma_t^2 = beta_t,   z ~ N(0, I)   for t > 0
        x_{t-1} = mean                                                      for t = 0

    sigma_t^2 is beta_t itself, not the posterior variance; the predicted x0 is not clipped.

    Args:
        eps_model: called once, eps_model(x_t, t_batch) with t_batch a LongTensor of shape (B,)
            holding t for every sample; returns a prediction shaped like x_t.
        x_t: the batch at step t, shape (B, ...), float32 or float64, on any device.
        t: an int, 0-based (the step whose beta is noise_schedule[t]), the same for the batch.
        noise_schedule: 1-D tensor of betas (beta_1..beta_T at indices 0..T-1), x_t's dtype and device.
        noise: z to use, shaped like x_t; if None, draw a fresh standard normal (only for t > 0).

    Returns:
        x_{t-1}, shaped like x_t, in its dtype; differentiable (it keeps its graph).
    """
    raise NotImplementedError("c13: implement ddpm_reverse_step")
