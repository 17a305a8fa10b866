"""The seed chapter's problems: every key recomputed independently (numpy loops, numeric integrals,
Monte Carlo), honest roundings accepted, named mistakes recognised."""

from __future__ import annotations

import math

import numpy as np
import pytest

from grader.bank.answers import check_answer
from grader.bank.instance import sample
from grader.bank.validate import validate
from conftest import SEED_BANK

SEED_IDS = {"gate-q1", "gate-q2", "gate-q3", "we1", "we1a", "we1b", "we1c", "we2", "we3a", "we3b", "we3c",
            "b2a", "b2b", "b2c", "b4a", "b4b", "b4c", "b5a", "b5b", "b5c", "b5d", "b7a", "b7b"}


def kl_closed(mu, logvar):
    mu, logvar = np.asarray(mu, float), np.asarray(logvar, float)
    return 0.5 * float(np.sum(mu**2 + np.exp(logvar) - 1 - logvar))


def kl_integral(mu, sd):
    """KL(N(mu, sd^2) || N(0, 1)) by the trapezoid rule, not the closed form."""
    x = np.linspace(mu - 40 * sd, mu + 40 * sd, 400_001)
    log_q = -0.5 * ((x - mu) / sd) ** 2 - math.log(sd * math.sqrt(2 * math.pi))
    log_p = -0.5 * x**2 - 0.5 * math.log(2 * math.pi)
    return float(np.trapezoid(np.exp(log_q) * (log_q - log_p), x))


def normal_pdf(x, mean):
    return math.exp(-0.5 * (x - mean) ** 2) / math.sqrt(2 * math.pi)


def alpha_bars(betas):
    out, level = [], 1.0
    for beta in betas:  # a plain loop, not the bank's Product
        level *= 1.0 - float(beta)
        out.append(level)
    return out


WE3 = alpha_bars([1e-4 + (0.02 - 1e-4) * t / 1000 for t in range(1, 1001)])
B5 = alpha_bars(np.linspace(1e-4, 0.02, 1000))


def snr_step():
    snr = np.array(B5) / (1 - np.array(B5))
    return float(np.argmin(np.abs(snr - 1)) + 1)


def monte_carlo_variance(t):
    rng = np.random.default_rng(0)
    x0, eps = rng.standard_normal(1_000_000), rng.standard_normal(1_000_000)
    return float(np.var(math.sqrt(B5[t - 1]) * x0 + math.sqrt(1 - B5[t - 1]) * eps))


# id -> (independent value, how the stem asks to round: ("dp", n) or ("sig", n), agreement required)
B7_KL = kl_integral(1, 1) + kl_integral(0, math.exp(-0.5))  # mu = [1, 0], log sigma^2 = [0, -1]
ORACLES = {
    "we1a": (0.0, ("dp", 2), 1e-12),
    "we1b": (1.0 / (1.0 + 1.0), ("dp", 2), 1e-12),
    "we1c": (2.0 / (2.0 + 1.0), ("dp", 2), 1e-12),
    "we2": (kl_closed([0.5, -1, 2], [-0.5, 0, 0.5]), ("dp", 2), 1e-12),
    "we3a": (WE3[0], ("dp", 4), 1e-12),
    "we3b": (WE3[499], ("dp", 4), 1e-10),
    "we3c": (WE3[999], ("dp", 6), 1e-10),
    **{f"b2{part}": (normal_pdf(x, 3) / (normal_pdf(x, 3) + normal_pdf(x, 5)), ("dp", 2), 1e-12)
       for part, x in zip("abc", (3, 4, 5))},
    **{f"b4{part}": (kl_integral(mu, sd), ("dp", 2), 1e-8)
       for part, (mu, sd) in zip("abc", ((0, 1), (2, 0.5), (0, 3)))},
    "b5a": (B5[0], ("dp", 4), 1e-12),
    "b5b": (B5[999], ("dp", 6), 1e-10),
    "b5c": (snr_step(), ("dp", 0), 0),
    "b5d": (monte_carlo_variance(500), ("dp", 2), 0.005),
    **{pid: (50 + beta * B7_KL, ("dp", 2), 1e-8) for pid, beta in (("b7a", 4), ("b7b", 1))},
}


def rounded(value, how):
    kind, digits = how
    return float(round(value, digits) if kind == "dp" else f"{value:.{digits}g}")


def test_the_seed_file_holds_the_chapter_labels_and_validates(seed_bank):
    assert set(seed_bank.problems) == SEED_IDS
    report = validate(SEED_BANK)
    assert report.issues == [], "\n".join(map(str, report.issues))


@pytest.mark.parametrize("problem_id", sorted(ORACLES))
def test_key_matches_an_independent_computation(seed_bank, problem_id):
    expected, _, agree = ORACLES[problem_id]
    variant = sample(seed_bank.problems[problem_id], None)
    assert abs(variant.answer - expected) <= agree * max(1.0, abs(expected)), (variant.answer, expected)


@pytest.mark.parametrize("problem_id", sorted(ORACLES))
def test_honest_rounding_of_the_independent_value_is_accepted(seed_bank, problem_id):
    expected, how, _ = ORACLES[problem_id]
    variant = sample(seed_bank.problems[problem_id], None)
    assert check_answer(variant, repr(rounded(expected, how))).correct


def test_each_named_mistake_is_recognised(seed_bank):
    for problem in seed_bank.problems.values():
        variant = sample(problem, None)
        for mistake in variant.distractors if problem.type == "nat" else ():
            value = (mistake.interval[0] + mistake.interval[1]) / 2
            result = check_answer(variant, repr(value))
            assert (result.correct, result.misconception) == (False, mistake.misconception), problem.id


@pytest.mark.parametrize("problem_id, value, letter", [
    ("gate-q1", 2 * math.log(0.5), "C"),  # V at p_g = p_data: both expectations are log(1/2)
    ("gate-q3", math.sqrt(0.05), "B"),
])
def test_mcq_keys(seed_bank, problem_id, value, letter):
    variant = sample(seed_bank.problems[problem_id], None)
    correct = [o for o in variant.options if o.correct]
    assert variant.answer_exact == letter and len(correct) == 1
    assert check_answer(variant, repr(value)).correct


def test_reparameterization_key_is_the_gradient_option(seed_bank):
    variant = sample(seed_bank.problems["gate-q2"], None)
    assert variant.answer_exact == "B" and "backpropagation" in variant.options[1].text


def test_we1_formula_matches_the_density_ratio(seed_bank):
    variant = sample(seed_bank.problems["we1"], None)
    for x in (0.0, 0.2, 0.5, 0.9, 1.0):
        p_data, p_g = 2 * x, 1.0
        assert check_answer(variant, repr(p_data / (p_data + p_g))).correct is False  # a number is not the formula
    assert check_answer(variant, "2*x/(2*x+1)").correct
    assert variant.variables == ("x",)


def test_b5c_checks_its_own_step(seed_bank, write_yaml):
    """The constraints of b5c prove t is the step with SNR closest to 1: a wrong step fails validation."""
    text = SEED_BANK.read_text(encoding="utf-8").replace('t: {choice: ["259"]}', 't: {choice: ["258"]}')
    report = validate(write_yaml(text, "seed.yaml"))
    where = f"problems[{seed_bank.problems['b5c'].origin.index}].constraints"
    assert [(i.field, "satisfies" in i.message) for i in report.issues] == [(where, True)]


def test_we3b_accepts_honest_rounding_only_and_names_the_chapter_approximation(seed_bank):
    variant = sample(seed_bank.problems["we3b"], None)
    shortcut = math.exp(-sum(1e-4 + (0.02 - 1e-4) * t / 1000 for t in range(1, 501)))  # the chapter's exp(-sum beta)
    assert check_answer(variant, "0.0780").correct and check_answer(variant, "0.078").correct
    result = check_answer(variant, f"{shortcut:.4f}")
    assert (result.correct, result.misconception) == (False, "exp-approximation")
    assert not check_answer(variant, "0.07").correct and not check_answer(variant, "0.08").correct


@pytest.mark.parametrize("problem_id", ["b2a", "b2b", "b2c"])
def test_b2_general_formula_is_the_log_density_ratio(seed_bank, problem_id):
    """The solution's D*(x) = 1/(1 + e^{...}) holds at every x, not only at the asked point."""
    import re

    import sympy

    solution = sample(seed_bank.problems[problem_id], None).solution
    exponents = [e for e in re.findall(r"e\^\{ ?([^{}]*?) ?\}", solution) if "x" in e]
    assert exponents, solution
    for exponent in exponents:
        formula = sympy.sympify(exponent.replace("\\,", "*"))
        for x in (-1.0, 3.0, 4.5, 7.0):
            log_ratio = math.log(normal_pdf(x, 5) / normal_pdf(x, 3))  # p_g / p_data
            assert float(formula.subs("x", x)) == pytest.approx(log_ratio)
