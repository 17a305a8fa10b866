"""Exercise c12: the simple DDPM training loss (Ho et al. 2020)."""

import torch


def ddpm_loss(eps_model, x0: torch.Tensor, noise_schedule: torch.Tensor) -> torch.Tensor:
    """The noise-prediction loss of a DDPM on one batch.

        t_i ~ uniform on {0, ..., T-1}, independently for each sample i
        noise ~ N(0, I), fresh, shaped like x0
        x_t = sqrt(alpha_bar_t) * x0 + sqrt(1 - alpha_bar_t) * noise     (per sample, as in c2)
        loss = mean over all elements of (eps_model(x_t, t) - noise)^2

    with alpha_bar_t = prod_{s <= t} (1 - beta_s).

    Args:
        eps_model: a module called once, on the batch: eps_model(x_t, t) with t a LongTensor
            of shape (B,); it returns a prediction shaped like x_t.
        x0: clean data, batch first, any shape (B, ...), float32 or float64, on any device.
        noise_schedule: 1-D tensor of betas, beta_1..beta_T at indices 0..T-1, with x0's
            dtype and device.

    Returns:
        a 0-dim tensor of x0's dtype that keeps its graph (loss.backward() trains the model).
    """
    raise NotImplementedError("c12: implement ddpm_loss")
