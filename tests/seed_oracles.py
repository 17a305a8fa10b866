"""Independent values for the seed chapter's NAT problems: each key, and each named mistake.

Divergences are integrated numerically (trapezoid rule), never taken from a closed form;
noise schedules are run step by step; D* is the ratio of densities evaluated pointwise. A
mistake is the same computation with the misconception built in (the other KL direction,
the standard deviation where the variance belongs, a missing factor), so the bank's
misconception expressions are checked too.
"""

from __future__ import annotations

import math

import numpy as np


def kl_integral(mu_q, sd_q, mu_p=0.0, sd_p=1.0) -> float:
    """KL(N(mu_q, sd_q^2) || N(mu_p, sd_p^2)) by the trapezoid rule, not the closed form."""
    x = np.linspace(mu_q - 40 * sd_q, mu_q + 40 * sd_q, 400_001)
    log_q = -0.5 * ((x - mu_q) / sd_q) ** 2 - math.log(sd_q * math.sqrt(2 * math.pi))
    log_p = -0.5 * ((x - mu_p) / sd_p) ** 2 - math.log(sd_p * math.sqrt(2 * math.pi))
    return float(np.trapezoid(np.exp(log_q) * (log_q - log_p), x))


def normal_pdf(x, mean, halves=True):
    """N(mean, 1) density; halves=False drops the 1/2 in the exponent (a misconception)."""
    return math.exp(-(0.5 if halves else 1.0) * (x - mean) ** 2) / math.sqrt(2 * math.pi)


def alpha_bars(betas):
    out, level = [], 1.0
    for beta in betas:  # a plain loop, not the bank's Product
        level *= 1.0 - float(beta)
        out.append(level)
    return out


WE3_BETAS = [1e-4 + (0.02 - 1e-4) * t / 1000 for t in range(1, 1001)]
WE3 = alpha_bars(WE3_BETAS)
B5_BETAS = [float(b) for b in np.linspace(1e-4, 0.02, 1000)]
B5 = alpha_bars(B5_BETAS)


def snr_step():
    snr = np.array(B5) / (1 - np.array(B5))
    return float(np.argmin(np.abs(snr - 1)) + 1)


def linear_fade_midpoint() -> float:
    """The step where a signal fading linearly from 1 at t = 0 to 0 at t = T crosses 1/2, by a scan."""
    fade = 1 - np.arange(1, 1001) / 1000
    return float(np.argmin(np.abs(fade - 0.5)) + 1)


def variance_scaled_linearly(t) -> float:
    """Var(x_t) with Var(a X) taken as a Var(X) (the squares forgotten), variances measured on samples."""
    rng = np.random.default_rng(1)
    x0, eps = rng.standard_normal(1_000_000), rng.standard_normal(1_000_000)
    x0, eps = x0 / np.std(x0), eps / np.std(eps)  # unit variance exactly, as the stem says
    return float(math.sqrt(B5[t - 1]) * np.var(x0) + math.sqrt(1 - B5[t - 1]) * np.var(eps))


def monte_carlo_variance(t):
    rng = np.random.default_rng(0)
    x0, eps = rng.standard_normal(1_000_000), rng.standard_normal(1_000_000)
    return float(np.var(math.sqrt(B5[t - 1]) * x0 + math.sqrt(1 - B5[t - 1]) * eps))


def d_star(x, p_data, p_g):
    return p_data(x) / (p_data(x) + p_g(x))


def we1_data(x):
    return 2 * x  # p_data(x) = 2x on [0, 1]; p_g is uniform


def we1_generator(_x):
    return 1.0


WE2 = ([0.5, -1, 2], [-0.5, 0, 0.5])  # mu, log sigma^2
WE2_KL = sum(kl_integral(m, math.exp(lv / 2)) for m, lv in zip(*WE2))
B7 = ([1, 0], [0, -1])
B7_KL = sum(kl_integral(m, math.exp(lv / 2)) for m, lv in zip(*B7))
B7_KL_STD = sum(kl_integral(m, math.exp(lv)) for m, lv in zip(*B7))  # log sigma^2 read as log sigma


def we1_mistakes(x):
    return {"inverted-ratio": d_star(x, we1_generator, we1_data),
            "ratio-without-sum": we1_data(x) / we1_generator(x),
            "dropped-normaliser": d_star(x, lambda v: v, we1_generator)}  # p_data = x, not normalised


def b2_mistakes(x):
    """p_data = N(3, 1), p_g = N(5, 1) at x."""
    pd, pg = normal_pdf(x, 3), normal_pdf(x, 5)
    pd_nohalf, pg_nohalf = normal_pdf(x, 3, halves=False), normal_pdf(x, 5, halves=False)
    return {"inverted-ratio": pg / (pd + pg), "ratio-without-sum": pd / pg,
            "dropped-half-in-exponent": pd_nohalf / (pd_nohalf + pg_nohalf), "density-not-ratio": pd}


def gaussian_grid(mu, sd):
    """Points and N(mu, sd^2) densities for the trapezoid rule."""
    x = np.linspace(mu - 40 * sd, mu + 40 * sd, 400_001)
    return x, np.exp(-0.5 * ((x - mu) / sd) ** 2) / (sd * math.sqrt(2 * math.pi))


def entropy_integral(sd) -> float:
    """-E[log q] of N(0, sd^2) by the trapezoid rule."""
    x, q = gaussian_grid(0.0, sd)
    return float(np.trapezoid(-q * np.log(np.maximum(q, 1e-300)), x))


def b4_mistakes(mu, sd):
    """Each mistake is an integral with the mistaken piece built in, not the closed form shifted."""
    kl = kl_integral(mu, sd)
    x, q = gaussian_grid(mu, sd)
    cross = float(np.trapezoid(q * 0.5 * (x**2 + math.log(2 * math.pi)), x))  # E_q[-log N(z; 0, 1)]
    return {"no-half": 2 * kl, "std-as-variance": kl_integral(mu, math.sqrt(sd)),
            # log sigma read as log sigma^2: the entropy taken is that of a Gaussian of variance sd
            "log-std-for-log-variance": cross - entropy_integral(math.sqrt(sd)),
            "reversed-kl": kl_integral(0.0, 1.0, mu, sd),
            # the -1 is E_q[((z - mu)/sd)^2]: dropping it leaves half of that expectation in
            "dropped-constant": kl + 0.5 * float(np.trapezoid(q * ((x - mu) / sd) ** 2, x))}


def b7_mistakes(beta):
    return {"forgot-beta": 50 + B7_KL, "no-half": 50 + beta * 2 * B7_KL, "logvar-as-logstd": 50 + beta * B7_KL_STD,
            "beta-on-reconstruction": beta * 50 + B7_KL}


# id -> (independent value, how the stem asks to round: ("dp", n) or ("sf", n), agreement required);
# a problem with an `sf` or `dp` parameter says its own rounding, which then wins
ORACLES = {
    **{f"we1{part}": (d_star(x, we1_data, we1_generator), ("dp", 2), 1e-12) for part, x in zip("abc", (0, 0.5, 1))},
    "we2": (WE2_KL, ("dp", 2), 1e-8),
    "we3a": (WE3[0], ("dp", 4), 1e-12),
    "we3b": (WE3[499], ("dp", 2), 1e-10),
    "we3c": (WE3[999], ("sf", 3), 1e-10),
    **{f"b2{part}": (d_star(x, lambda v: normal_pdf(v, 3), lambda v: normal_pdf(v, 5)), ("dp", 2), 1e-12)
       for part, x in zip("abc", (3, 4, 5))},
    **{f"b4{part}": (kl_integral(mu, sd), ("dp", 2), 1e-8)
       for part, (mu, sd) in zip("abc", ((0, 1), (2, 0.5), (0, 3)))},
    "b5a": (B5[0], ("dp", 4), 1e-12),
    "b5b": (B5[999], ("sf", 3), 1e-10),
    "b5c": (snr_step(), ("dp", 0), 0),
    "b5d": (monte_carlo_variance(500), ("dp", 2), 0.005),
    **{pid: (50 + beta * B7_KL, ("dp", 2), 1e-8) for pid, beta in (("b7", 4), ("b7a", 4), ("b7b", 1))},
}

# id -> {misconception: the value that mistake gives}: every mistake the bank names, and a few it
# may name (the tests require the bank's to be here, not the reverse)
MISTAKES = {
    "we1a": {k: v for k, v in we1_mistakes(0).items() if k == "inverted-ratio"},
    "we1b": {k: v for k, v in we1_mistakes(0.5).items() if k != "inverted-ratio"},
    "we1c": we1_mistakes(1),
    "we2": {"no-half": 2 * WE2_KL, "logvar-as-logstd": sum(kl_integral(m, math.exp(lv)) for m, lv in zip(*WE2)),
            "reversed-kl": sum(kl_integral(0.0, 1.0, m, math.exp(lv / 2)) for m, lv in zip(*WE2)),
            "dropped-constant": WE2_KL + 3 / 2},
    "we3a": {"beta-for-alpha-bar": WE3_BETAS[0]},
    "we3b": {"signal-amplitude": math.sqrt(WE3[499]), "linear-sum": 1 - sum(WE3_BETAS[:500]),
             "exp-approximation": math.exp(-sum(WE3_BETAS[:500]))},
    "we3c": {"exp-approximation": math.exp(-sum(WE3_BETAS)), "signal-amplitude": math.sqrt(WE3[999]),
             "other-schedule-convention": B5[999]},
    "b2a": b2_mistakes(3),
    "b2b": {k: v for k, v in b2_mistakes(4).items() if k in ("ratio-without-sum", "density-not-ratio")},
    "b2c": {k: v for k, v in b2_mistakes(5).items() if k != "ratio-without-sum"},
    "b4a": {k: v for k, v in b4_mistakes(0, 1).items() if k == "dropped-constant"},
    "b4b": b4_mistakes(2, 0.5),
    "b4c": b4_mistakes(0, 3),
    "b5a": {"beta-for-alpha-bar": B5_BETAS[0]},
    "b5b": {"exp-approximation": math.exp(-sum(B5_BETAS)), "signal-amplitude": math.sqrt(B5[999]),
            "other-schedule-convention": WE3[999]},
    "b5c": {"half-of-T": linear_fade_midpoint()},
    "b5d": {"forgot-squares": variance_scaled_linearly(500), "signal-only": B5[499]},
    "b7": b7_mistakes(4),
    "b7a": b7_mistakes(4),
    "b7b": {"applied-beta": 50 + 4 * B7_KL, "no-half": 50 + 2 * B7_KL, "logvar-as-logstd": 50 + B7_KL_STD},
}
