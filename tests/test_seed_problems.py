"""The seed chapter's problems: every key and every named mistake recomputed independently
(tests/seed_oracles.py: numpy loops, numeric integrals, Monte Carlo), honest roundings
accepted, mistakes recognised, no distractor range holding the key."""

from __future__ import annotations

import math

import pytest
import sympy

from grader.bank.answers import check_answer
from grader.bank.instance import sample
from grader.bank.load import load_bank
from grader.bank.validate import validate
from conftest import SEED_BANK
from seed_oracles import MISTAKES, ORACLES, d_star, normal_pdf, we1_data, we1_generator

NAT_IDS = sorted(pid for pid, p in load_bank(SEED_BANK).problems.items() if p.type == "nat")
NAMED_MISTAKES = [(pid, m.id) for pid in NAT_IDS for m in load_bank(SEED_BANK).problems[pid].misconceptions]
SEED_IDS = {"gate-q1", "gate-q2", "gate-q3", "we1", "we1a", "we1b", "we1c", "we2", "we3a", "we3b", "we3c",
            "b2a", "b2b", "b2c", "b4a", "b4b", "b4c", "b5a", "b5b", "b5c", "b5d", "b7a", "b7b"}


def rounded(value, how, variant):
    asked = [(kind, int(variant.params[kind])) for kind in ("sf", "dp") if kind in variant.params]
    kind, digits = asked[0] if asked else how
    return float(round(value, digits) if kind == "dp" else f"{value:.{digits}g}")


def test_the_seed_file_holds_the_chapter_labels_and_validates(seed_bank):
    assert set(seed_bank.problems) == SEED_IDS
    report = validate(SEED_BANK)
    assert report.issues == [], "\n".join(map(str, report.issues))


@pytest.mark.parametrize("problem_id", NAT_IDS)
def test_key_matches_an_independent_computation(seed_bank, problem_id):
    expected, _, agree = ORACLES[problem_id]
    variant = sample(seed_bank.problems[problem_id], None)
    assert abs(variant.answer - expected) <= agree * max(1.0, abs(expected)), (variant.answer, expected)


@pytest.mark.parametrize("problem_id", NAT_IDS)
def test_honest_rounding_of_the_independent_value_is_accepted(seed_bank, problem_id):
    expected, how, _ = ORACLES[problem_id]
    variant = sample(seed_bank.problems[problem_id], None)
    assert check_answer(variant, repr(rounded(expected, how, variant))).correct


def test_every_nat_problem_and_mistake_has_an_independent_value():
    missing = [pid for pid in NAT_IDS if pid not in ORACLES]
    missing += [f"{pid}: {m}" for pid, m in NAMED_MISTAKES if m not in MISTAKES.get(pid, {})]
    assert not missing, "add them to tests/seed_oracles.py"


@pytest.mark.parametrize("problem_id, mistake", [(p, m) for p, m in NAMED_MISTAKES if m in MISTAKES.get(p, {})])
def test_each_named_mistake_is_recognised(seed_bank, problem_id, mistake):
    """The value a mistake gives, computed apart from the bank, is named as that mistake."""
    variant = sample(seed_bank.problems[problem_id], None)
    result = check_answer(variant, repr(MISTAKES[problem_id][mistake]))
    assert (result.correct, result.misconception) == (False, mistake)


@pytest.mark.parametrize("problem_id", NAT_IDS)
def test_no_distractor_range_holds_the_independent_key(seed_bank, problem_id):
    """With any distractor swapped in as the key, the independent value would be marked wrong."""
    expected = ORACLES[problem_id][0]
    variant = sample(seed_bank.problems[problem_id], None)
    assert variant.distractors
    for d in variant.distractors:
        lo, hi = d.interval
        assert not lo <= expected <= hi and abs(float(sympy.sympify(d.value)) - expected) > hi - lo, d


@pytest.mark.parametrize("problem_id, value, letter", [
    ("gate-q1", 2 * math.log(0.5), "C"),  # V at p_g = p_data: both expectations are log(1/2)
    ("gate-q3", math.sqrt(0.05), "B"),
])
def test_mcq_keys(seed_bank, problem_id, value, letter):
    variant = sample(seed_bank.problems[problem_id], None)
    correct = [o for o in variant.options if o.correct]
    assert variant.answer_exact == letter and len(correct) == 1
    assert float(sympy.sympify(correct[0].value)) == pytest.approx(value, rel=1e-12)
    assert check_answer(variant, letter).correct


def test_reparameterization_key_is_the_gradient_option(seed_bank):
    variant = sample(seed_bank.problems["gate-q2"], None)
    assert variant.answer_exact == "B" and "backpropagation" in variant.options[1].text


def test_we1_formula_matches_the_density_ratio(seed_bank):
    variant = sample(seed_bank.problems["we1"], None)
    assert variant.variables == ("x",)
    x = sympy.Symbol("x")
    key = sympy.lambdify(x, sympy.sympify(variant.answer_exact, locals={"x": x}))
    for point in (0.0, 0.2, 0.5, 0.9, 1.0):
        assert key(point) == pytest.approx(d_star(point, we1_data, we1_generator), abs=1e-12)
    assert check_answer(variant, "2*x/(2*x+1)").correct


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
