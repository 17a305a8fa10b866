"""Distribution checks with a stated false-failure rate, for randomized student code.

Each test fails a correct submission with probability at most ALPHA = 1e-8, by a bound that
holds for every sample size, not asymptotically:
- the distribution: a Kolmogorov-Smirnov distance against the Dvoretzky-Kiefer-Wolfowitz
  bound (Massart's constant), P(sup |F_n - F| > e) <= 2 exp(-2 n e^2);
- the tails (mass beyond 2 and 3 sigma) and integer draws bucket by bucket: binomial counts
  against the Chernoff bound P(k >= n q) <= exp(-n KL(q || p)) (and its mirror below p);
- repeated values within a draw, and values shared by two draws, both found to a relative
  tolerance NEAR = 1e-9 (a replay nudged by 1e-12 is still a replay): the values y near one value
  v, |y - v| <= NEAR max(|y|, |v|), carry probability at most P_MAX for a continuous draw: v's
  own float (at most ~2^-24, float32 included) plus 2 NEAR |v| f(v) / (1 - NEAR) <= 2.1e-9 for a
  density with |x| f(x) <= 1 (every N(0, s^2): 0.242; U(0, 1): 1), below 2^-20. So a value lies
  near an earlier one with probability at most n P_MAX, the number M of such values is
  dominated by Binomial(n, n P_MAX), and the near-equal neighbours counted in sorted order are
  at most 2M (a value has two neighbours): the test takes half the count to the Chernoff bound.
  A value of b near one of a: probability at most |a| P_MAX, independently given a;
- independence and serial structure: correlations against |r| <= 6.5 / sqrt(n) (Student's t,
  below 1e-9 for n >= 1000; for bounded data by the central limit theorem).
A suite runs at most ~40 such tests, so a correct submission fails a run with probability
below 1e-6. Non-finite samples are never tested: every test refuses them as "not judged"
(the values hold nan or inf), so no suite can read nan as a correlation or a shift.
"""

from __future__ import annotations

import math

import torch

from grader.check.expect import not_judged

ALPHA = 1e-8  # false-failure probability of one test; a suite stays below 1e-6
P_MAX = 2.0 ** -20  # the most probability the values near one value can carry (see NEAR)
NEAR = 1e-9  # values this close, relatively, count as the same value (a copy, however nudged)
CORRELATION_BOUND = 6.5  # |r| * sqrt(n) beyond this: below 1e-9 under independence


def require_finite(*samples: torch.Tensor, what: str = "the values") -> None:
    """Refuse to test samples holding nan or inf: the check is not judged, and says why."""
    if not all(bool(torch.isfinite(s).all()) for s in samples):
        not_judged(f"{what} hold nan or inf, so their distribution cannot be tested")


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
    require_finite(samples)
    d, e = ks_distance(samples, normal_cdf), dkw_threshold(samples.numel())
    return d <= e, d, e


def looks_uniform(samples: torch.Tensor) -> tuple[bool, float, float]:
    """(passes, KS distance, threshold) for i.i.d. U(0, 1) samples."""
    require_finite(samples)
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
    require_finite(a, b)
    if has_constant_column(a) or has_constant_column(b):
        return False  # independent continuous draws never repeat down a whole column
    return abs(correlation(a, b)) <= CORRELATION_BOUND / math.sqrt(a.numel())


# --- counts, against the Chernoff bound for binomial counts ---------------------------------

def bernoulli_kl(q: float, p: float) -> float:
    """KL(Bernoulli(q) || Bernoulli(p)), with 0 log 0 = 0."""
    total = q * math.log(q / p) if q > 0 else 0.0
    return total + ((1 - q) * math.log((1 - q) / (1 - p)) if q < 1 else 0.0)


def implausible_count(k: int, n: int, p: float, alpha: float = ALPHA, *, above_only: bool = False) -> bool:
    """Whether k successes in n trials are implausible for Binomial(n, p): beyond the Chernoff
    bound on the side k / n lies (two-sided), or, `above_only`, above it for any p' <= p."""
    q = k / n
    if q == p or (above_only and q <= p) or p >= 1:
        return False
    if p <= 0:
        return k > 0
    return n * bernoulli_kl(q, p) > math.log((1 if above_only else 2) / alpha)


TAILS = {  # the regions whose mass is tested, with their probability
    "normal": ((lambda x: x.abs() > 2, math.erfc(2 / math.sqrt(2)), "beyond 2 standard deviations"),
               (lambda x: x.abs() > 3, math.erfc(3 / math.sqrt(2)), "beyond 3 standard deviations")),
    "uniform": ((lambda x: x < 0.01, 0.01, "below 0.01"), (lambda x: x > 0.99, 0.01, "above 0.99")),
}


def tails_mismatch(samples: torch.Tensor, dist: str = "normal") -> str | None:
    """None when the mass in each tail region of `dist` is plausible, else what was counted.

    Clamped or truncated noise passes a KS test on a large sample but empties the tails."""
    require_finite(samples)
    x = samples.detach().flatten().to(torch.float64)
    n, regions = x.numel(), TAILS[dist]
    for inside, p, where in regions:
        k = int(inside(x).sum())
        if implausible_count(k, n, p, ALPHA / len(regions)):
            return f"{k} of {n} values lie {where}, where about {n * p:.0f} were expected"
    return None


def near(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Elementwise: whether x and y are the same value to the relative tolerance NEAR."""
    return (x - y).abs() <= NEAR * torch.maximum(x.abs(), y.abs())


def repeated_values(samples: torch.Tensor) -> int:
    """How many values lie near the next larger value of the same draw (in sorted order)."""
    x, _ = torch.sort(samples.detach().flatten().to(torch.float64))
    return int(near(x[1:], x[:-1]).sum())


def shared_values(a: torch.Tensor, b: torch.Tensor) -> int:
    """How many values of b lie near some value of a."""
    pool, _ = torch.sort(a.detach().flatten().to(torch.float64))
    x = b.detach().flatten().to(torch.float64)
    if pool.numel() == 0:
        return 0
    at, last = torch.searchsorted(pool, x), pool.numel() - 1  # the nearest values of a lie at at - 1 and at
    return int((near(x, pool[(at - 1).clamp(0, last)]) | near(x, pool[at.clamp(0, last)])).sum())


def too_many_repeats(samples: torch.Tensor, p_max: float = P_MAX) -> int | None:
    """The number of repeated values when it is implausible for a continuous draw, else None.

    A value lies near an earlier one with probability at most n p_max given the others, so the
    number of such values is dominated by Binomial(n, n p_max); the neighbours counted are at
    most twice that number."""
    require_finite(samples)
    n, k = samples.numel(), repeated_values(samples)
    return k if implausible_count(math.ceil(k / 2), n, min(1.0, n * p_max), above_only=True) else None


def too_many_shared(a: torch.Tensor, b: torch.Tensor, p_max: float = P_MAX) -> int | None:
    """The number of b's values found in a when implausible for independent draws, else None:
    a permuted, shifted, rolled or replayed copy of an earlier draw shares most of its values."""
    require_finite(a, b)
    k = shared_values(a, b)
    return k if implausible_count(k, b.numel(), min(1.0, a.numel() * p_max), above_only=True) else None


def serial_lags(rows: int, width: int) -> list[int]:
    """Lags, in memory order, at which a draw of `rows` x `width` values is compared with itself:
    neighbours, neighbouring rows, and the second half of the rows against the first."""
    n = rows * width
    lags = {1, 2, 3, width - 1, width, width + 1, 2 * width, (rows // 2) * width}
    return sorted(lag for lag in lags if 1 <= lag and n - lag >= 1000)


def serial_correlation(samples: torch.Tensor) -> tuple[int, float] | None:
    """(lag, correlation) of the first lag at which the draw, in memory order (each column
    standardized), correlates with itself beyond 6.5 / sqrt(n - lag), else None. At most 8 lags,
    each below 1e-9 under independence. A draw needs 1000 values past the lag to be tested."""
    require_finite(samples)
    x = columns(samples)
    rows, width = x.shape
    for lag in serial_lags(rows, width):
        flat = x.flatten()
        r = correlation(flat[:-lag], flat[lag:])
        if abs(r) > CORRELATION_BOUND / math.sqrt(flat.numel() - lag):
            return lag, r
    return None


def integer_counts_mismatch(samples: torch.Tensor, size: int) -> str | None:
    """None when integer draws look uniform on {0, ..., size - 1}, bucket by bucket, else what
    was counted (a value outside the range, or the most implausible bucket)."""
    x = samples.detach().flatten().to(torch.int64)
    if x.numel() and (x.min() < 0 or x.max() >= size):
        return f"a value {int(x.min()) if x.min() < 0 else int(x.max())} lies outside 0..{size - 1}"
    counts, n = torch.bincount(x, minlength=size).tolist(), x.numel()
    for value, k in enumerate(counts):
        if implausible_count(k, n, 1 / size, ALPHA / size):
            return f"{value} was drawn {k} times in {n} draws, where about {n / size:.0f} were expected"
    return None


def moments_mismatch(samples: torch.Tensor) -> str | None:
    """None when the mean and the mean square of samples that should be i.i.d. N(0, 1) are
    plausible, else what was measured. The mean of n values is N(0, 1/n): |mean| > a has
    probability erfc(a sqrt(n/2)); the sum of squares is chi-square(n), bounded by Laurent and
    Massart: P(X - n >= 2 sqrt(n x) + 2x) <= e^-x, P(n - X >= 2 sqrt(n x)) <= e^-x. Each side at
    ALPHA / 4, so the test fails a correct sample with probability <= ALPHA. At n = 10,000 a
    variance 10% off is at its edge, where a KS distance needs a factor of about 2."""
    require_finite(samples)
    x = samples.detach().flatten().to(torch.float64)
    n = x.numel()
    limit, spread = 5.9 / math.sqrt(n), math.log(4 / ALPHA)  # erfc(5.9 / sqrt 2) < 3.7e-9 < ALPHA / 2
    mean, squares = float(x.mean()), float((x**2).sum())
    if abs(mean) > limit:
        return f"their mean is {mean:.4f}, where |mean| <= {limit:.4f} was expected"
    if squares > n + 2 * math.sqrt(n * spread) + 2 * spread or squares < n - 2 * math.sqrt(n * spread):
        return f"their mean square is {squares / n:.4f}, where 1 +- {2 * math.sqrt(spread / n):.4f} was expected"
    return None
