"""grader.check.stats: KS distances, the DKW bound and the correlation test, each against a
hand computation or a second implementation, and against the samples wrong code produces."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from grader.check import stats
from grader.check.expect import NotJudged

N = 4000  # the sample size of the c3 suite


def sample(draw, seed: int = 0, n: int = N) -> torch.Tensor:
    return draw(torch.Generator().manual_seed(seed), n)


def uniform(gen, n):
    return torch.rand(n, generator=gen, dtype=torch.float64)


def normal(gen, n):
    return torch.randn(n, generator=gen, dtype=torch.float64)


def ks_by_counting(x: np.ndarray, cdf) -> float:
    """sup |F_n - F| from its definition: at each sample point, the ECDF just before and at it."""
    d = 0.0
    for point in x:
        at, before = np.mean(x <= point), np.mean(x < point)
        d = max(d, abs(at - cdf(point)), abs(before - cdf(point)))
    return d


def dkw_by_bisection(n: int, alpha: float) -> float:
    """The e where Massart's bound 2 exp(-2 n e^2) falls to alpha, found without the closed form."""
    lo, hi = 0.0, 10.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if 2 * math.exp(-2 * n * mid * mid) > alpha else (lo, mid)
    return (lo + hi) / 2


def with_correlation(r: float, n: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Two samples whose Pearson correlation is exactly r (orthogonalised, then mixed)."""
    rng = np.random.default_rng(seed)
    a, c = rng.standard_normal(n), rng.standard_normal(n)
    a = (a - a.mean()) / np.linalg.norm(a - a.mean())
    c = c - c.mean()
    c = c - (c @ a) * a
    c /= np.linalg.norm(c)
    return torch.from_numpy(a), torch.from_numpy(r * a + math.sqrt(1 - r * r) * c)


def test_ks_distance_by_hand():
    # uniform cdf F(x) = x; ECDF steps 0 -> 1/3 -> 2/3 -> 1 at 0.1, 0.5, 0.6: the largest gap is
    # 1 - 0.6 = 0.4 just at 0.6; a point outside [0, 1] meets the clamped cdf.
    def ks(values, cdf):
        return stats.ks_distance(torch.tensor(values, dtype=torch.float64), cdf)

    assert ks([0.6, 0.1, 0.5], stats.uniform_cdf) == pytest.approx(0.4, abs=1e-12)
    assert ks([1.5, -0.5, 0.5], stats.uniform_cdf) == pytest.approx(1 / 3, abs=1e-12)
    assert ks([0.0], stats.normal_cdf) == pytest.approx(0.5, abs=1e-12)


@pytest.mark.parametrize("draw, cdf", [(uniform, lambda x: min(max(x, 0.0), 1.0)),
                                       (normal, lambda x: 0.5 * math.erfc(-x / math.sqrt(2)))])
def test_ks_distance_matches_the_definition(draw, cdf):
    x = sample(draw, seed=3, n=300)
    for shifted in (x, x + 0.2, x - 0.2, 1.5 * x):
        expected = ks_by_counting(shifted.numpy(), cdf)
        reference = stats.uniform_cdf if draw is uniform else stats.normal_cdf
        assert stats.ks_distance(shifted, reference) == pytest.approx(expected, abs=1e-12)


def test_float32_samples_are_compared_in_float64():
    x = sample(normal, seed=5, n=300)
    single = x.to(torch.float32)
    exact = ks_by_counting(single.double().numpy(), lambda v: 0.5 * math.erfc(-v / math.sqrt(2)))
    assert stats.ks_distance(single, stats.normal_cdf) == pytest.approx(exact, abs=1e-13)
    a, b = with_correlation(0.3, 3000)
    a32, b32 = a.to(torch.float32), b.to(torch.float32)
    expected = np.corrcoef(a32.double().numpy(), b32.double().numpy())[0, 1] * 2999 / 3000
    assert stats.correlation(a32, b32) == pytest.approx(expected, abs=1e-13)
    assert stats.correlation(a32.reshape(1000, 3), b32.reshape(1000, 3)) == \
        pytest.approx(stats.correlation(a32.double().reshape(1000, 3), b32.double().reshape(1000, 3)), abs=1e-13)


def test_normal_cdf_table_values():
    assert float(stats.normal_cdf(torch.tensor(1.0, dtype=torch.float64))) == pytest.approx(0.8413447460685429, abs=1e-15)
    assert float(stats.normal_cdf(torch.tensor(-1.96, dtype=torch.float64))) == pytest.approx(0.0249978951482204, abs=1e-15)


@pytest.mark.parametrize("n", [1, 100, 4000, 10**6])
def test_dkw_threshold_inverts_massarts_bound(n):
    assert stats.dkw_threshold(n) == pytest.approx(dkw_by_bisection(n, 1e-8), rel=1e-12)
    assert stats.dkw_threshold(n, 0.05) == pytest.approx(dkw_by_bisection(n, 0.05), rel=1e-12)


def test_false_failure_rate_is_pinned():
    assert stats.ALPHA == 1e-8
    assert stats.dkw_threshold(4000) == pytest.approx(0.048880, abs=1e-6)  # sqrt(ln(2e8) / 8000)


def test_correct_samples_pass():
    assert stats.looks_uniform(sample(uniform))[0]
    assert stats.looks_standard_normal(sample(normal))[0]
    assert stats.looks_uncorrelated(sample(normal, 1), sample(normal, 2))


def test_verdicts_report_distance_and_threshold():
    eps = sample(uniform)
    ok, distance, threshold = stats.looks_uniform(eps)
    assert distance == stats.ks_distance(eps, stats.uniform_cdf) and threshold == stats.dkw_threshold(N)
    ok, distance, threshold = stats.looks_standard_normal(eps)
    assert not ok and distance == stats.ks_distance(eps, stats.normal_cdf) > threshold == stats.dkw_threshold(N)


@pytest.mark.parametrize("shift", [0.15, -0.15])
def test_either_tail_of_the_ks_test_fails_a_shifted_sample(shift):
    """A sample shifted right lies below the cdf, one shifted left above it: both must fail."""
    assert not stats.looks_standard_normal(sample(normal) + shift)[0]
    assert not stats.looks_uniform((sample(uniform) + shift / 2).clamp(0, 1))[0]


def test_scale_mistakes_fail_the_ks_test():
    assert not stats.looks_standard_normal(sample(normal) * math.exp(1.0))[0]  # exp(log_var) for the std
    assert not stats.looks_uniform(sample(uniform) * 0.9)[0]


def test_a_c3_eps_inside_the_unit_interval_but_not_uniform_fails():
    eps = torch.sigmoid(sample(normal))  # in (0, 1), mean 0.5, but piled up in the middle
    assert eps.min() > 0 and eps.max() < 1 and abs(float(eps.mean()) - 0.5) < 0.02
    ok, distance, threshold = stats.looks_uniform(eps)
    assert not ok and distance > 2 * threshold


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_samples_are_never_tested_but_not_judged(bad):
    """nan or inf is said as such; no test reads it as a shift, a correlation or a repeat."""
    x, y = sample(normal, 1), sample(normal, 2)
    x[7] = bad
    tests = [lambda: stats.looks_uniform(x), lambda: stats.looks_standard_normal(x),
             lambda: stats.looks_uncorrelated(x, y), lambda: stats.looks_uncorrelated(y, x),
             lambda: stats.tails_mismatch(x), lambda: stats.too_many_repeats(x),
             lambda: stats.too_many_shared(x, y), lambda: stats.too_many_shared(y, x),
             lambda: stats.serial_correlation(x)]
    for test in tests:
        with pytest.raises(NotJudged, match="nan or inf"):
            test()


def test_correlation_matches_pearson_and_ignores_scale():
    a, b = with_correlation(0.3, 2000)
    n = a.numel()
    assert np.corrcoef(a.numpy(), b.numpy())[0, 1] == pytest.approx(0.3, abs=1e-12)
    # per-column standardising uses the n - 1 variance, so the mean product is r (n - 1) / n
    assert stats.correlation(a, b) == pytest.approx(0.3 * (n - 1) / n, abs=1e-12)
    assert stats.correlation(a * 5 + 2, b * 0.1 - 7) == pytest.approx(stats.correlation(a, b), abs=1e-12)


def test_correlation_standardises_each_column():
    a, b = with_correlation(0.5, 3000)
    wide_a, wide_b = a.reshape(1000, 3), b.reshape(1000, 3)
    scaled = wide_a * torch.tensor([1.0, 100.0, 0.01], dtype=torch.float64)
    expected = np.mean([np.corrcoef(wide_a[:, j], wide_b[:, j])[0, 1] for j in range(3)]) * 999 / 1000
    assert stats.correlation(scaled, wide_b) == pytest.approx(expected, abs=1e-12)


def test_correlation_standardises_the_last_dimension_of_any_shape():
    a, b = with_correlation(0.4, 4000)
    wide_a, wide_b = a.reshape(50, 20, 4), b.reshape(50, 20, 4)
    scales = torch.tensor([1.0, 30.0, 0.02, 5.0], dtype=torch.float64)  # one per last-dim column
    assert stats.correlation(wide_a * scales, wide_b) == pytest.approx(stats.correlation(wide_a, wide_b), abs=1e-12)
    columns_a, columns_b = wide_a.reshape(-1, 4), wide_b.reshape(-1, 4)
    expected = np.mean([np.corrcoef(columns_a[:, j], columns_b[:, j])[0, 1] for j in range(4)]) * 999 / 1000
    assert stats.correlation(wide_a, wide_b) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("r, independent", [(0.06, True), (-0.06, True), (0.07, False), (-0.07, False)])
def test_correlation_threshold_is_6_5_over_sqrt_n(r, independent):
    a, b = with_correlation(r, 10_000)  # threshold 6.5 / 100 = 0.065
    assert stats.looks_uncorrelated(a, b) is independent


def test_reused_and_antithetic_noise_fail_the_independence_test():
    eps = sample(normal)
    assert not stats.looks_uncorrelated(eps, eps)
    assert not stats.looks_uncorrelated(eps, -eps)  # antithetic: r = -1
    assert stats.correlation(eps, -eps) == pytest.approx(-(N - 1) / N, abs=1e-12)
    pairs = eps.reshape(-1, 2)
    assert not stats.looks_uncorrelated(pairs[:, 0], 2 * pairs[:, 0] + 0.01 * pairs[:, 1])


def test_a_draw_shared_by_every_row_is_never_independent_and_never_divides_by_zero():
    shared = torch.randn(1, 10, dtype=torch.float64).expand(2000, 10)
    fresh = torch.randn(2000, 10, dtype=torch.float64)
    assert stats.has_constant_column(shared) and not stats.has_constant_column(fresh)
    assert abs(stats.correlation(shared, fresh)) <= 1.0
    assert not stats.looks_uncorrelated(shared, fresh) and not stats.looks_uncorrelated(fresh, shared)


# --- the Chernoff count tests, tails, repeats, shared values, serial structure ----------------

def binomial_upper_tail(k: int, n: int, p: float) -> float:
    """P(K >= k) for K ~ Binomial(n, p), summed exactly in log space."""
    logs = [math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1) + j * math.log(p)
            + (n - j) * math.log1p(-p) for j in range(k, n + 1)]
    top = max(logs)
    return math.exp(top) * sum(math.exp(v - top) for v in logs)


def test_bernoulli_kl_by_hand():
    assert stats.bernoulli_kl(0.5, 0.5) == 0
    assert stats.bernoulli_kl(0.0, 0.1) == pytest.approx(-math.log(0.9), abs=1e-15)
    assert stats.bernoulli_kl(1.0, 0.1) == pytest.approx(math.log(10), abs=1e-15)
    assert stats.bernoulli_kl(0.2, 0.1) == pytest.approx(0.2 * math.log(2) + 0.8 * math.log(0.8 / 0.9), abs=1e-15)


@pytest.mark.parametrize("n, p", [(1000, 0.05), (20000, 0.0027), (4000, 0.1)])
def test_a_count_the_chernoff_test_refuses_has_tiny_exact_probability(n, p):
    """The first count refused above the mean has an exact binomial tail below the bound."""
    k = next(k for k in range(int(n * p), n + 1) if stats.implausible_count(k, n, p, above_only=True))
    assert binomial_upper_tail(k, n, p) <= stats.ALPHA
    assert binomial_upper_tail(k - 1, n, p) > stats.ALPHA / 1e4  # and the test is not absurdly loose
    assert not stats.implausible_count(int(n * p), n, p) and stats.implausible_count(0, n, p) == (n * p > 19)


def test_counts_at_the_edges():
    assert not stats.implausible_count(5, 10, 1.0, above_only=True)  # a vacuous bound never refuses
    assert stats.implausible_count(1, 10, 0.0) and not stats.implausible_count(0, 10, 0.0)
    assert not stats.implausible_count(3, 1000, 0.01, above_only=True)  # below the mean, one-sided


def test_correct_samples_pass_every_new_test():
    for seed in range(5):
        x = torch.randn(2500, 8, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
        y = torch.randn(2500, 8, generator=torch.Generator().manual_seed(100 + seed), dtype=torch.float64)
        u = torch.rand(4000, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
        assert stats.tails_mismatch(x) is None and stats.tails_mismatch(u, "uniform") is None
        assert stats.too_many_repeats(x) is None and stats.too_many_shared(x, y) is None
        assert stats.serial_correlation(x) is None and stats.serial_correlation(u) is None


def test_float32_draws_repeat_values_by_chance_and_still_pass():
    x = torch.randn(20000, generator=torch.Generator().manual_seed(0))
    u = torch.rand(200000, generator=torch.Generator().manual_seed(0))
    assert stats.repeated_values(u) > 100  # 2^24 values: repeats are common
    assert stats.too_many_repeats(x) is None and stats.too_many_repeats(u) is None


def test_clamped_noise_empties_the_far_tail():
    x = sample(normal, n=20000)
    assert stats.looks_standard_normal(x.clamp(-2.3, 2.3))[0]  # the KS test cannot see it
    found = stats.tails_mismatch(x.clamp(-2.3, 2.3))
    assert found.startswith("0 of 20000 values lie beyond 3 standard deviations")


def test_too_heavy_tails_fail():
    x = sample(normal, n=20000)
    heavy = torch.where(torch.arange(20000) % 10 == 0, 4 * x, x)
    assert "beyond 2" in stats.tails_mismatch(heavy)


def test_uniform_tails():
    u = sample(uniform, n=20000)
    assert "below 0.01" in stats.tails_mismatch(0.02 + 0.96 * u, "uniform")


def test_rows_copied_in_pairs_repeat_half_the_values():
    x = sample(normal, n=8000).reshape(1000, 8)
    x[1::2] = x[0::2]
    assert stats.too_many_repeats(x) == 4000
    assert stats.serial_correlation(x)[0] == 8  # a row against the next one


def test_quantiles_in_random_order_share_every_value_across_calls():
    n = 4000
    quantiles = math.sqrt(2) * torch.erfinv(2 * (torch.arange(n, dtype=torch.float64) + 0.5) / n - 1)
    first, second = quantiles[torch.randperm(n)], quantiles[torch.randperm(n)]
    assert stats.looks_standard_normal(first)[0] and stats.too_many_repeats(first) is None
    assert stats.looks_uncorrelated(first, second)  # the old test sees nothing
    assert stats.too_many_shared(first, second) == n


def test_the_previous_draw_rolled_by_a_row_is_found():
    x = sample(normal, n=8000).reshape(1000, 8)
    rolled = x.roll(1, dims=0)
    assert stats.looks_uncorrelated(x, rolled)
    assert stats.too_many_shared(x, rolled) == 8000


def test_a_replay_nudged_by_rounding_is_still_found():
    x = sample(normal, n=8000).reshape(1000, 8)
    nudged = x.roll(1, dims=0) + 1e-12
    assert int(torch.isin(nudged, x).sum()) < 80  # exact equality sees almost nothing
    assert stats.too_many_shared(x, nudged) > 7900
    pairs = x.clone()
    pairs[1::2] = pairs[0::2] * (1 + 1e-11)
    assert stats.too_many_repeats(pairs) == 4000


def test_values_a_hair_apart_count_as_one_value_only_within_the_tolerance():
    f64 = dict(dtype=torch.float64)
    v = torch.tensor([1.0, 1.0 + 5e-10, 3.0, 3.0 + 1e-8, -2.0, -2.0 - 1e-9], **f64)
    assert stats.repeated_values(v) == 2
    assert stats.shared_values(torch.tensor([0.0, 1.0], **f64), torch.tensor([0.0, 1 + 1e-10, 2.0, -1.0], **f64)) == 2
    assert stats.shared_values(torch.tensor([5.0], **f64), torch.tensor([5.0, 4.0, 6.0], **f64)) == 1


def test_a_draw_shared_only_with_a_few_values_passes():
    x, y = sample(normal, 1), sample(normal, 2)
    y[:3] = x[:3]
    assert stats.too_many_shared(x, y) is None


def test_structure_beyond_lag_one():
    x = sample(normal, n=8000)
    second_order = x.clone()
    second_order[2:] = (x[2:] + x[:-2]) / math.sqrt(2)  # each value shares a draw with the one two back
    assert stats.correlation(second_order[:-1], second_order[1:]) < 0.05
    lag, r = stats.serial_correlation(second_order)
    assert lag == 2 and r > 0.4
    halves = x.reshape(1000, 8).clone()
    halves[500:] = -halves[:500]
    assert stats.serial_correlation(halves) == (4000, pytest.approx(-(4000 - 1) / 4000, abs=0.1))


def test_serial_lags():
    assert stats.serial_lags(2500, 8) == [1, 2, 3, 7, 8, 9, 16, 10000]
    assert stats.serial_lags(100, 8) == []  # under 1000 values past any lag: nothing tested
    assert stats.serial_lags(4000, 1) == [1, 2, 3, 2000]


def test_integer_draws_bucket_by_bucket():
    g = torch.Generator().manual_seed(0)
    assert stats.integer_counts_mismatch(torch.randint(0, 10, (4000,), generator=g), 10) is None
    never_zero = torch.randint(1, 10, (4000,), generator=g)
    assert stats.integer_counts_mismatch(never_zero, 10).startswith("0 was drawn 0 times in 4000 draws")
    one_based = torch.randint(1, 11, (4000,), generator=g)
    assert "outside 0..9" in stats.integer_counts_mismatch(one_based, 10)
    assert "outside" in stats.integer_counts_mismatch(torch.tensor([-1, 0, 1]), 10)


# --- 2-D samples: verdicts that depend on how columns are handled ------------------------------

def test_one_reused_column_among_sixteen_is_found():
    """A draw reused in one column of 16 gives r = 1/16 over all values: 4x the bound for
    1000 x 16 values, but 1.6x the bound a per-row count (n = 1000) would allow."""
    a = torch.randn(1000, 16, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    b = torch.randn(1000, 16, generator=torch.Generator().manual_seed(2), dtype=torch.float64)
    b[:, 5] = a[:, 5]
    r = stats.correlation(a, b)
    assert 6.5 / math.sqrt(16000) < abs(r) < 6.5 / math.sqrt(1000)
    assert not stats.looks_uncorrelated(a, b)


def test_the_dkw_n_is_every_value_not_every_row():
    x = torch.randn(1000, 16, generator=torch.Generator().manual_seed(3), dtype=torch.float64)
    ok, distance, threshold = stats.looks_standard_normal(x)
    assert ok and threshold == stats.dkw_threshold(16000)
    shifted = x + 0.1  # found with 16,000 values, not with 1,000
    assert not stats.looks_standard_normal(shifted)[0]
    assert stats.ks_distance(shifted, stats.normal_cdf) < stats.dkw_threshold(1000)


def test_one_constant_column_among_many_is_not_independent():
    a = torch.randn(2000, 6, dtype=torch.float64)
    b = torch.randn(2000, 6, dtype=torch.float64)
    b[:, 2] = 0.7
    assert not stats.looks_uncorrelated(a, b)


def test_moments_pass_correct_samples_and_catch_a_few_percent():
    """Standard normal samples pass the mean and mean-square test; a variance 20% off, or a mean
    0.1 sd off, fails at n = 10,000 (the c16 sample is ~9,000 values); the bound is Laurent and
    Massart's, checked here against a direct chi-square simulation of its far tail."""
    n = 10_000
    assert all(stats.moments_mismatch(sample(normal, seed, n)) is None for seed in range(20))
    assert "mean square" in stats.moments_mismatch(1.2**0.5 * sample(normal, 1, n))
    assert "mean square" in stats.moments_mismatch(0.8**0.5 * sample(normal, 2, n))
    assert "mean is" in stats.moments_mismatch(sample(normal, 3, n) + 0.1)
    spread = math.log(4 / stats.ALPHA)
    upper = (n + 2 * math.sqrt(n * spread) + 2 * spread) / n
    squares = (sample(normal, 4, 200 * n).reshape(200, n) ** 2).mean(1)
    assert float(squares.max()) < upper and float(squares.min()) > 1 - 2 * math.sqrt(spread / n)


def test_moments_refuse_non_finite_samples():
    with pytest.raises(NotJudged):
        stats.moments_mismatch(torch.tensor([0.0, float("nan")]))
