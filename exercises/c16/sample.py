"""Exercise c16: draw samples from a trained DDPM (ancestral sampling)."""

import torch


def ddpm_sample(eps_model, shape, noise_schedule: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """Sample x_0 by running the reverse process from pure noise:

        x_{T-1} ~ N(0, I) of `shape`
        for t = T-1, T-2, ..., 0:
            mean = (x_t - beta_t / sqrt(1 - alpha_bar_t) * eps_model(x_t, t)) / sqrt(alpha_t)
            x_{t-1} = mean + sqrt(beta_t) * z  (z ~ N(0, I))   for t > 0;   x_{-1} = mean at t = 0
        return the last x

    (c13's step, applied T times.) Every random draw, the start and each step's noise, comes
    from `generator` when it is given, so a generator seeded the same way reproduces the run;
    with generator=None, torch's global generator is used.

    Args:
        eps_model: called exactly T times, eps_model(x, t_batch) with t_batch a LongTensor (B,),
            B = shape[0].
        shape: the shape of the batch to draw, e.g. (N, 2).
        noise_schedule: 1-D tensor of betas (beta_1..beta_T at indices 0..T-1); the samples take
            its dtype and device.
        generator: a torch.Generator, or None.

    Returns:
        the samples, a tensor of `shape` with no autograd graph attached.
    """
    raise NotImplementedError("c16: implement ddpm_sample")
