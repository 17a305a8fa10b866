"""Exercise c11: the two classic DDPM noise schedules."""

import torch


def make_beta_schedule(kind: str, T: int, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """The betas beta_1..beta_T of a DDPM, stored at indices 0..T-1.

    "linear" (Ho et al. 2020): T values evenly spaced from 1e-4 to 0.02, both ends included,
        whatever T is (no rescaling by 1000 / T).
    "cosine" (Nichol and Dhariwal 2021), with s = 0.008:
        f(u) = cos^2( (u / T + s) / (1 + s) * pi / 2 ),   alpha_bar(u) = f(u) / f(0),  u = 0..T
        beta_u = min(1 - alpha_bar(u) / alpha_bar(u - 1), 0.999),   u = 1..T

    Args:
        kind: "linear" or "cosine"; any other kind raises ValueError naming both.
        T: the number of steps, T >= 2.
        dtype: the dtype of the result (computed at that precision or better).

    Returns:
        a 1-D tensor of length T in `dtype`.
    """
    raise NotImplementedError("c11: implement make_beta_schedule")
