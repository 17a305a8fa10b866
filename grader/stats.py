"""Distribution checks with a stated false-failure rate, for randomized student code.

Every statistical verdict here is a Kolmogorov-Smirnov distance compared with the bound of
the Dvoretzky-Kiefer-Wolfowitz inequality (Massart's constant):
P(sup |F_n - F| > e) <= 2 exp(-2 n e^2) for n i.i.d. draws from a continuous F. The bound
is exact for every n, not asymptotic, so a correct submission fails a single test with
probability at most ALPHA, and a whole suite (at most ~20 such tests) at most 20 * ALPHA.
"""

from __future__ import annotations

import math

import torch

ALPHA = 1e-8  # false-failure probability of one test; a suite stays below 1e-6


def dkw_threshold(n: int, alpha: float = ALPHA) -> float:
    return math.sqrt(math.log(2 / alpha) / (2 * n))


def ks_distance(samples: torch.Tensor, cdf) -> float:
    """sup |F_n(x) - F(x)| of the samples against the cdf (a torch function)."""
    x, _ = torch.sort(samples.detach().flatten().to(torch.float64))
    n = x.numel()
    f = cdf(x)
    upper = torch.arange(1, n + 1, dtype=torch.float64) / n - f
    lower = f - torch.arange(0, n, dtype=torch.float64) / n
    return float(torch.maximum(upper, lower).max())


def normal_cdf(x: torch.Tensor) -> torch.Tensor:
    return 0.5 * (1 + torch.erf(x / math.sqrt(2)))


def uniform_cdf(x: torch.Tensor) -> torch.Tensor:
    return x.clamp(0, 1)


def looks_standard_normal(samples: torch.Tensor) -> tuple[bool, float, float]:
    """(passes, KS distance, threshold) for i.i.d. N(0, 1) samples."""
    if not torch.isfinite(samples).all():
        return False, math.inf, 0.0
    d, e = ks_distance(samples, normal_cdf), dkw_threshold(samples.numel())
    return d <= e, d, e


def looks_uniform(samples: torch.Tensor) -> tuple[bool, float, float]:
    """(passes, KS distance, threshold) for i.i.d. U(0, 1) samples."""
    if not torch.isfinite(samples).all():
        return False, math.inf, 0.0
    d, e = ks_distance(samples, uniform_cdf), dkw_threshold(samples.numel())
    return d <= e, d, e


def looks_independent(a: torch.Tensor, b: torch.Tensor) -> bool:
    """Whether two equally long N(0, 1) samples look independent of each other.

    If they are, (a - b) / sqrt(2) is again i.i.d. N(0, 1); a shared or correlated draw
    shrinks that spread (to zero when the draws are the same), which the KS test sees.
    """
    return looks_standard_normal((a - b) / math.sqrt(2))[0]
