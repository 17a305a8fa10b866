"""Stems, options and solutions read as written by a person, on every draw of every problem.

Many draws of each bank problem are rendered and searched for what a template that pastes
numbers produces: unit or zero coefficients, factors of 1, terms of 0, e^0, x^0, sign clashes,
parenthesised negatives after an operator, "1 of the four ... are", a chapter's internal
exercise labels, decimals asked of an integer key, keys of 0, and exact values printed with
needless zeros (0.5000). Each pattern is first shown to catch a known-bad text (so none is
vacuous).
"""

from __future__ import annotations

import re

import pytest

from grader.bank import instance
from grader.bank.instance import sample
from grader.bank.load import load_bank
from grader.bank.render import environment
from grader.bank.typeset import _exact_in

DRAWS = 40
MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)
# name -> (pattern searched in the maths of a text, a bad text it must catch, a good text it must pass)
IN_MATHS = {
    "unit or zero coefficient": (re.compile(r"(?<![\w.^{])[01]\s*\\[,;]\s*[A-Za-z\\]"), r"1\,x + 0\,x_1", r"10\,x"),
    "x^0 or x^1": (re.compile(r"(?<![\\A-Za-z])[a-df-zA-Z]\^\{\s*[01]\s*\}"), r"2\,x^{1} + x^{0}", r"x^{10} + e^{0}"),
    "sign clash": (re.compile(r"[+-]\s*-(?!\s*\d*\s*\\to)"), r"a + -2 - -1", r"a - 2"),
    "negative in parentheses after an operator": (
        re.compile(r"(?:[+\-]|\\cdot|\\times)\s*\(\s*-[^()]*\)(?!\s*\^)"), r"0.94 \times (-0.5) - (-1)", r"(-1)^2 + 1"),
    "positive number in parentheses": (
        re.compile(r"(?:[+\-=]|\\cdot|\\times|\\,)\s*\(\s*\d[\d.]*\s*\)(?!\s*\^)"), r"x - (2) + 3 \cdot (0.5)",
        r"D^*(3) + (2)^2"),
    "a factor of 1": (re.compile(r"(?:\\cdot|(?<!\d)\\times|\\,)\s*1(?![\d.]|\s*/)|(?<![\w.^{}/])1\s*(?:\\cdot|\\times)"),
                      r"\sqrt{\tfrac34}\,1 + e^{2} \cdot 1 - 1 \times 3 + 0.5 \times 1",
                      r"x \cdot 10 + 2 \times 1.5 + 3 \cdot 1/2 + 28\times28\times1"),  # a shape is no product
    "a term of 0": (re.compile(r"[-+]\s*0(?![\d.])|(?<![\w.^{}])0\s*\+|(?<![\w.])0\^"), r"1 - 0 + 0^2",
                    r"x - 0.5 + e^{-0.1} + \mathcal N(0, 1) + (0 - 1)"),
    "e^0": (re.compile(r"e\^(?:\{\s*0\s*\}|0(?![\d.]))"), r"1 + e^{ 0 } + e^0", r"e^{0.5} + e^{10}"),
    "a coefficient 1 before a function": (re.compile(r"(?<![\w.^{}])1\s*\\(?:log|exp|sqrt|ln)\b"), r"= 1\log\alpha",
                                          r"= \log 1 + 21\log 2"),
}
IN_TEXT = {
    "internal label": (re.compile(r"\b(?:[Ee]xercise|[Ww]orked example)\s+[A-D]?\d"), "In the DDPM of exercise B5",
                       "A DDPM uses 1000 steps"),
    "a count of 1 in the plural": (re.compile(r"\b1 of the \w+ \w+ are\b|\b1 (?!of\b)[a-z]+s (?:are|were)\b"),
                                   "Here 1 of the four coordinates are negative", "Here 1 of the four is negative"),
}
# Keys of 0 that the chapter itself asks for: D*(0) = 0 and KL(N(0, 1) || N(0, 1)) = 0.
CHAPTER_ZERO_KEYS = {"we1a", "b4a"}


@pytest.mark.parametrize("name", sorted(IN_MATHS) + sorted(IN_TEXT))
def test_each_pattern_catches_its_bad_example_only(name):
    pattern, bad, good = {**IN_MATHS, **IN_TEXT}[name]
    assert pattern.search(bad) and not pattern.search(good)


def maths(text: str) -> list[str]:
    return [m.group(1) or m.group(2) for m in MATH.finditer(text)]


def faults(problem_id: str, variant) -> list[str]:
    """What reads wrong in one rendered instance, each with its context."""
    texts = {"stem": variant.stem, "solution": variant.solution, **{f"option {o.text!r}": o.text for o in variant.options}}
    found = []
    for where, text in texts.items():
        for name, (pattern, _, _) in IN_MATHS.items():
            found += [f"{where}: {name}: ...{m.string[max(0, m.start() - 25):m.end() + 25]}..."
                      for segment in maths(text) for m in pattern.finditer(segment)]
        for name, (pattern, _, _) in IN_TEXT.items():
            found += [f"{where}: {name}: {m.group(0)!r}" for m in pattern.finditer(text)]
    if variant.type == "nat":
        integral = variant.answer == round(variant.answer)
        if integral and re.search(r"decimal", variant.stem):
            found.append(f"stem asks for decimals of the integer key {variant.answer_exact}")
        if variant.answer == 0 and problem_id not in CHAPTER_ZERO_KEYS:
            found.append("the key is 0: a degenerate instance (a guess of 0 scores)")
    return found


def redundant_zeros(text: str) -> int:
    return len(text) - len(text.rstrip("0")) if "." in text else 0


def test_redundant_zeros_count_only_after_the_point():
    assert [redundant_zeros(t) for t in ("0.5000", "2.00", "0.0", "1000", "0.1234")] == [3, 2, 1, 0, 0]


@pytest.fixture(scope="module")
def padded():
    """The `fmt` filter, recording each exact value it prints with two or more needless zeros (1/2 as
    0.5000, 2 as 2.00): templates print those with `approx`. Yields {"problem": id, "found": [...]}."""
    filters, record = environment().filters, {"problem": None, "found": []}
    real = filters["fmt"]

    def recording(x, digits=2):
        text = real(x, digits)
        zeros = redundant_zeros(text)
        if zeros >= 2 and _exact_in(x, digits - zeros):
            record["found"].append(f"{record['problem']}: {text}, an exact value, printed with fmt")
        return text

    filters["fmt"] = recording
    instance._instance.cache_clear()  # render every instance afresh, through the recording filter
    yield record
    filters["fmt"] = real
    instance._instance.cache_clear()


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.mark.parametrize("problem_id", sorted(load_bank().problems))
def test_every_draw_reads_as_maths(bank, problem_id, padded):
    problem = bank.problems[problem_id]
    seen = {}
    padded.update(problem=problem_id, found=[])
    for seed in range(1 if problem.fixed else DRAWS):
        variant = sample(problem, seed)
        for fault in faults(problem_id, variant) + padded["found"]:
            seen.setdefault(fault, variant.params)
        padded["found"].clear()
    assert not seen, "\n".join(f"{fault} (at {params})" for fault, params in list(seen.items())[:8])


# Keys that are the same whatever the logarithm's base, and why; every other stem with a log says which.
BASE_FREE = {"eval-inception-score": "IS = exp(E KL) is one number in any base (exp matched to log)",
             "gan-grad-ratio": "a ratio of two gradients of the same loss"}
USES_LOG = re.compile(r"\\log|\blog\b|KL|JSD|ELBO|entropy")
SAYS_BASE = re.compile(r"natural logs?\b|\bnats?\b|\\ln\b|\bbits?\b|log_2|\bbase\b")


def test_a_key_that_depends_on_the_logarithm_says_which():
    """log p, log|det J|, -log sigma(a), log sigma^2: the key changes with the base, so the stem says it."""
    silent = [pid for pid, p in sorted(load_bank().problems.items())
              if p.type == "nat" and pid not in BASE_FREE and USES_LOG.search(p.stem) and not SAYS_BASE.search(p.stem)]
    assert not silent, f"say 'natural log' (or nats) in the stems of {silent}"
    assert SAYS_BASE.search("Compute $\\log p_x(x)$ (natural log)") and not SAYS_BASE.search("Compute $\\log p$")
