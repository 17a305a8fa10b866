"""Read a student's answer to one drawn problem and judge it: right, wrong, or which mistake.

Numbers, fractions and expressions (`-2*log(2)`, `sqrt(0.05)`, `22.4%`), option letters
(`C`, `a,c`, `{A, C}`) and formulas in the problem's variables are all accepted; anything
unreadable raises UsageError (exit 2) saying what to type instead.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import sympy as sp

from grader.errors import UsageError
from grader.bank.mathtext import MathSyntaxError, parse_math
from grader.bank.reading import range_ends, read_letters, read_number, shown_math
from grader.bank.variants import LETTERS, Variant

POINTS = 8  # random points where two formulas must agree


@dataclass(frozen=True)
class AnswerResult:
    correct: bool
    message: str
    misconception: str | None
    normalized: str  # how the answer was read: "A,C", "-2*log(2)", "2*x/(2*x + 1)"


def check_answer(variant: Variant, text: str) -> AnswerResult:
    """Judge `text` against the variant's key; UsageError when it cannot be read."""
    text = str(text).strip()
    judge = {"mcq": _choice, "msq": _choice, "nat": _number, "expr": _formula}[variant.type]
    return judge(variant, text)


def _choice(variant: Variant, text: str) -> AnswerResult:
    count = len(variant.options)
    letters = read_letters(text, count, variant.type == "mcq")
    if letters is None:
        raise _letters_only(variant, text)
    chosen = [(LETTERS[j], o) for j, o in enumerate(variant.options) if LETTERS[j] in letters]
    normalized = ",".join(sorted(letters))
    if letters == set(variant.answer_exact.split(",")):
        return AnswerResult(True, f"{normalized} is the key.", None, normalized)
    wrong = [(letter, o) for letter, o in chosen if not o.correct]
    notes = [f"{letter}: {o.feedback}" for letter, o in wrong if o.feedback]
    if not wrong:
        notes.append("Each option you chose is correct, but a correct option is missing.")
    misconception = next((o.misconception for _, o in wrong if o.misconception), None)
    return AnswerResult(False, " ".join([f"{normalized} is not the key.", *notes]), misconception, normalized)


def _letters_only(variant: Variant, text: str) -> UsageError:
    """A value typed for an option is refused: 0.7 is not the option 0.706, nor is 22.4% option B."""
    last = LETTERS[len(variant.options) - 1]
    how = "a letter" if variant.type == "mcq" else "letters, e.g. A,C"
    return UsageError(f"{text!r} is not an option letter; answer with {how} (A-{last}), as the options are printed")


def _number(variant: Variant, text: str) -> AnswerResult:
    number = read_number(text)
    value, read, shown = number.value, number.read, number.shown
    lo, hi = variant.interval
    if lo <= value <= hi:
        return AnswerResult(True, "{} lies in the accepted range [{}, {}].".format(shown, *range_ends(lo, hi)), None, read)
    mistake = next((d for d in variant.distractors if d.interval and d.interval[0] <= value <= d.interval[1]), None)
    if mistake is None:
        return AnswerResult(False, f"{shown} is not accepted.", None, read)
    return AnswerResult(False, f"{shown} is not accepted. It matches a known mistake, {mistake.misconception}: "
                               f"{mistake.feedback}", mistake.misconception, read)


def _formula(variant: Variant, text: str) -> AnswerResult:
    try:
        expr = parse_math(text, variant.variables)
    except MathSyntaxError as exc:
        names = ", ".join(variant.variables)
        raise UsageError(f"cannot read {text!r} as a formula in {names}: {exc}") from None
    key = parse_math(variant.answer_exact, variant.variables, author=True)
    read = shown_math(expr)
    if equivalent(expr, key):
        return AnswerResult(True, f"{read} is equivalent to the key.", None, read)
    for mistake in variant.distractors:
        if equivalent(expr, parse_math(mistake.value, variant.variables, author=True)):
            return AnswerResult(False, f"{read} is not equivalent to the key. It matches a known mistake, "
                                       f"{mistake.misconception}: {mistake.feedback}", mistake.misconception, read)
    return AnswerResult(False, f"{read} is not equivalent to the key.", None, read)


def equivalent(a: sp.Expr, b: sp.Expr) -> bool:
    """Equal at random points (a disagreement disproves); where no point is defined, ask simplify."""
    symbols = sorted(a.free_symbols | b.free_symbols, key=str)
    rng = random.Random(0)
    checked = 0
    for _ in range(POINTS):
        point = {s: sp.Float(rng.uniform(0.1, 0.9)) for s in symbols}
        try:
            x, y = complex(a.evalf(30, subs=point)), complex(b.evalf(30, subs=point))
        except (ArithmeticError, TypeError, ValueError):  # undefined here (1/floor(x) on (0, 1)): try another point
            continue
        if all(v == v and abs(v) != float("inf") for v in (x, y)):
            if abs(x - y) > 1e-9 * max(1.0, abs(y)):
                return False
            checked += 1
    return checked > 0 or sp.simplify(a - b) == 0
