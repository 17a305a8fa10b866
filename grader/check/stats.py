"""Distribution checks with a stated false-failure rate, for randomized student code.

Every statistical verdict here is a Kolmogorov-Smirnov distance compared with the bound of
the Dvoretzky-Kiefer-Wolfowitz inequality (Massart's constant):
P(sup |F_n - F| > e) <= 2 exp(-2 n e^2) for n i.i.d. draws from a continuous F. The bound
is exact for every n, not asymptotic, so a correct submission fails a single test with
probability at most ALPHA. Independence is tested by correlation (see looks_uncorrelated),
at most 1e-9 per test. A suite runs at most ~20 such tests, so a correct submission fails
a run with probability below 1e-6.
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


def columns(x: torch.Tensor) -> torch.Tensor:
    """x as float64 columns (its last dim), one column for a 1-D sample."""
    x = x.to(torch.float64)
    return x.reshape(-1, x.shape[-1]) if x.dim() > 1 else x.reshape(-1, 1)


def has_constant_column(x: torch.Tensor) -> bool:
    """Whether a column does not vary at all (to rounding): one draw shared by every row."""
    x = columns(x)
    return bool((x.std(0) <= 1e-12 * x.abs().amax(0).clamp_min(1e-300)).any())


def correlation(a: torch.Tensor, b: torch.Tensor) -> float:
    """Pearson correlation of a and b after standardizing each column (last dim) of each.

    Standardizing per column makes the test blind to scale mistakes, which other checks
    report; it sees only shared or reused draws. A constant column carries no variation and
    counts as zeros (it would otherwise divide rounding noise by nothing).
    """
    def standardize(x: torch.Tensor) -> torch.Tensor:
        x = columns(x)
        centered, std = x - x.mean(0), x.std(0)
        varies = std > 1e-12 * x.abs().amax(0).clamp_min(1e-300)
        return torch.where(varies, centered / torch.where(varies, std, torch.ones_like(std)), 0.0).flatten()

    x, y = standardize(a), standardize(b)
    return float((x * y).mean())


def looks_uncorrelated(a: torch.Tensor, b: torch.Tensor) -> bool:
    """Whether two equally shaped samples look like independent draws.

    Under independence (Gaussian data) r * sqrt((n-2)/(1-r^2)) follows Student's t with
    n - 2 degrees of freedom, so |r| > 6.5 / sqrt(n) has probability below 1e-9 for the
    n >= 1000 used here (for bounded data, such as uniforms, by the central limit theorem).
    A shared or reused draw gives r = 1.
    """
    if not (torch.isfinite(a).all() and torch.isfinite(b).all()):
        return False
    if has_constant_column(a) or has_constant_column(b):
        return False  # independent continuous draws never repeat down a whole column
    return abs(correlation(a, b)) <= 6.5 / math.sqrt(a.numel())
