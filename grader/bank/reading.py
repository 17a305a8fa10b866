"""The one reader of typed answers, for `answer`, `practice` and `mark`: option letters and numbers.

Plain decimals and letters are read without sympy, so marking a class's sheets stays quick;
fractions, expressions and percentages of them go through the whitelisted parser of
`grader.bank.mathtext`. Anything unreadable is a UsageError that says what could not be read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from grader.bank.variants import LETTERS, split_letters
from grader.errors import UsageError

PLAIN_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


@dataclass(frozen=True)
class Number:
    """A number as read: its value and the text to echo back."""

    value: float
    read: str  # "0.5", "22.4%", "-2*log(2)"
    plain: bool  # the text is the number itself: echo it without its value

    @property
    def shown(self) -> str:
        """What was read, with its value when that is not plain to see: "-2*log(2) = -1.38629"."""
        return self.read if self.plain else f"{self.read} = {number_text(self.value)}"


def number_text(value: float, digits: int = 6, rounding: str | None = None) -> str:
    """A number as terminal maths that the reader reads back: 0.25, 4.03583 × 10^(-5), never 4.03583e-05.
    `rounding` (decimal's ROUND_CEILING or ROUND_FLOOR) picks the direction of the last digit, so
    that a range's printed ends lie inside it."""
    mantissa, exponent = _significant(value, digits, rounding)
    return mantissa if exponent is None else f"{mantissa} × 10^({exponent})"


def number_tex(value: float, digits: int = 6, rounding: str | None = None) -> str:
    """The same number as LaTeX for papers, keys and Moodle: 4.03583 \\times 10^{-5}."""
    mantissa, exponent = _significant(value, digits, rounding)
    return mantissa if exponent is None else f"{mantissa} \\times 10^{{{exponent}}}"


def _significant(value: float, digits: int, rounding: str | None) -> tuple[str, int | None]:
    """`digits` significant digits, and the power of ten where Python's `g` would write e-05."""
    exact = Decimal(repr(float(value)))
    if rounding and exact:
        exact = exact.quantize(Decimal(1).scaleb(exact.adjusted() - digits + 1), rounding=rounding)
    mantissa, _, exponent = f"{float(exact):.{digits}g}".partition("e")
    return ("0" if mantissa == "-0" else mantissa), (int(exponent) if exponent else None)


def range_ends(lo: float, hi: float, write=number_text) -> tuple[str, str]:
    """An accepted range's ends, each rounded inwards, so both printed ends are accepted."""
    return write(lo, rounding=ROUND_CEILING), write(hi, rounding=ROUND_FLOOR)


def read_number(text: str) -> Number:
    """A finite real number typed as a decimal, fraction, expression or percentage."""
    text = text.strip()
    percent = text.endswith("%")
    body = text[:-1].strip() if percent else text
    if PLAIN_DECIMAL.fullmatch(body):
        value = float(body) / (100 if percent else 1)
        read, plain = text, not percent
    else:
        value, read = _expression(text, body, percent)
        plain = read.lstrip("-").isdigit()
    if value != value or abs(value) == float("inf"):
        raise UsageError(f"{text!r} is not a finite real number")
    return Number(value, read, plain)


def _expression(text: str, body: str, percent: bool) -> tuple[float, str]:
    """Value and echo of a fraction or expression ("17/25", "sqrt(0.05)", "22.4/2%")."""
    from grader.bank.mathtext import MathSyntaxError, parse_math

    try:
        expr = parse_math(body)
    except MathSyntaxError as exc:
        raise UsageError(f"cannot read {text!r} as a number: {exc}") from None
    value = complex(expr.evalf(30))
    if value.imag:
        raise UsageError(f"{text!r} is not a finite real number")
    return value.real / (100 if percent else 1), text if percent else shown_math(expr)


def shown_math(expr) -> str:
    """A sympy number or formula as the student typed it: 0.5, not 0.500000000000000."""
    import sympy

    return sympy.sstr(expr, full_prec=False)


def read_letters(text: str, count: int, single: bool = False) -> set[str] | None:
    """Option letters such as `C`, `a,c`, `AC`, `{A, C}` among the first `count`; None if the
    text is not letters at all (it may be a number)."""
    found = split_letters(text)
    if found is None:
        return None
    letters = set(found)
    allowed = LETTERS[:count]
    if not letters <= set(allowed):
        raise UsageError(f"{text!r} is not among the options {allowed[0]}-{allowed[-1]}")
    if single and len(letters) != 1:
        raise UsageError(f"{text!r}: this question takes exactly one option ({allowed[0]}-{allowed[-1]})")
    return letters
