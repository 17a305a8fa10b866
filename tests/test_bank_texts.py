"""Stems, options and solutions read as written by a person, on every draw of every problem.

Many draws of each bank problem are rendered and searched for what a template that pastes
numbers produces: unit or zero coefficients, x^0, sign clashes, parenthesised negatives after
an operator, a chapter's internal exercise labels, decimals asked of an integer key, and
keys of 0. Each pattern is first shown to catch a known-bad text (so none is vacuous).
"""

from __future__ import annotations

import re

import pytest

from grader.bank.instance import sample
from grader.bank.load import load_bank

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
}
IN_TEXT = {
    "internal label": (re.compile(r"\b(?:[Ee]xercise|[Ww]orked example)\s+[A-D]?\d"), "In the DDPM of exercise B5",
                       "A DDPM uses 1000 steps"),
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


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.mark.parametrize("problem_id", sorted(load_bank().problems))
def test_every_draw_reads_as_maths(bank, problem_id):
    problem = bank.problems[problem_id]
    seen = {}
    for seed in range(1 if problem.fixed else DRAWS):
        variant = sample(problem, seed)
        for fault in faults(problem_id, variant):
            seen.setdefault(fault, variant.params)
    assert not seen, "\n".join(f"{fault} (at {params})" for fault, params in list(seen.items())[:8])
