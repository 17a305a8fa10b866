"""Exercise c2: jump straight to step t of the DDPM forward (noising) process."""

import torch


def add_noise(x0: torch.Tensor, t, noise_schedule: torch.Tensor, noise: torch.Tensor | None = None):
    """Sample x_t ~ q(x_t | x_0) in one step.

    alpha_bar_t = prod_{s <= t} (1 - beta_s)
    x_t = sqrt(alpha_bar_t) * x0 + sqrt(1 - alpha_bar_t) * noise,   noise ~ N(0, I)

    Args:
        x0: clean data, batch first, any shape (B, ...), float32 or float64, any device.
        t: an int, or a LongTensor of shape (B,) with one step per sample. Steps are
           0-based indices into noise_schedule (t = 0 is the first noising step).
        noise_schedule: 1-D tensor of betas, beta_1..beta_T stored at indices 0..T-1,
           with x0's dtype and device.
        noise: the noise to use, shaped like x0; if None, draw a fresh standard normal.

    Returns:
        (x_t, noise): x_t shaped like x0, and the noise actually used.
    """
    raise NotImplementedError("c2: implement add_noise")
