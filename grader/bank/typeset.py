"""Template helpers that print drawn numbers the way a person writes maths.

A template that pastes a drawn value into a formula gets "1 x", "0 x_1", "x^{0}", "a - (-2)"
or "(0.5)^2" on some draws. These helpers print the simplified form for every draw instead:
signs merge with the operator before them, unit coefficients and zero terms vanish, and
parentheses appear only where the value needs them.
"""

from __future__ import annotations

import re

import sympy as sp

from grader.bank.render import Exact, fmt, tex, value_of

NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six")
TRAILING_PRODUCT = re.compile(r"\s*(?:\\,|\\cdot|\\times)?\s*$")  # the operator ending a `times` factor


def _text(x, digits: int | None) -> str:
    """The value as LaTeX: exact (as the author wrote a param), or to `digits` decimals (trimmed when exact)."""
    return tex(x) if digits is None else approx(x, digits)


def _negative(x) -> bool:
    return bool(value_of(x) < 0)


def _magnitude(x):
    """|x|, keeping a param's written form ("-0.5" -> "0.5")."""
    if not _negative(x):
        return x
    return Exact(x.text.lstrip("-").strip(), -x.value) if isinstance(x, Exact) else -value_of(x)


def base(x, digits: int | None = None) -> str:
    """The value as the base of a power: (-2)^2, (\\frac{1}{2})^2, 3^2, 0.5^2."""
    text = _text(x, digits)
    return f"({text})" if _negative(x) or "frac" in text else text


def factor(x, digits: int | None = None) -> str:
    """The value as a factor after another one: 3 \\cdot (-2), 3 \\cdot 2."""
    text = _text(x, digits)
    return f"({text})" if _negative(x) else text


def _scaled(x, digits: int | None, times: str) -> str:
    """|x| after the factor `times`; a unit |x| leaves the factor alone ("\\sqrt{2}", not "\\sqrt{2}\\,1"),
    and a factor that prints as 1 (e^0 as `exp` prints it) is left out."""
    size, factor_text = _magnitude(x), TRAILING_PRODUCT.sub("", times)
    if factor_text.strip() == "1":
        times = factor_text = ""
    if times and value_of(size) == 1:
        return factor_text
    return f"{times}{_text(size, digits)}"


def plus(x, digits: int | None = None, times: str = "") -> str:
    """"+ x" for a term added after another one, "- |x|" when x is negative, nothing when x is 0;
    `times` is a factor printed before the magnitude: plus(-1/3, 2, "0.94 \\times ") -> "- 0.94 \\times 0.33"."""
    return "" if value_of(x) == 0 else f"{'-' if _negative(x) else '+'} {_scaled(x, digits, times)}"


def minus(x, digits: int | None = None, times: str = "") -> str:
    """"- x" for a term subtracted after another one, "+ |x|" when x is negative, nothing when x is 0."""
    return "" if value_of(x) == 0 else f"{'+' if _negative(x) else '-'} {_scaled(x, digits, times)}"


def lead(x, digits: int | None = None, times: str = "") -> str:
    """The first term of a sum: "{times}x", or "-{times}|x|" when x is negative."""
    return f"{'-' if _negative(x) else ''}{_scaled(x, digits, times)}"


def coefficient(x, digits: int | None = None, sep: str = " \\times ") -> str:
    """The value in front of a factor: "" for 1, "-" for -1, else its text and `sep` ("2 \\times ")."""
    k = value_of(x)
    return "" if k == 1 else "-" if k == -1 else f"{_text(x, digits)}{sep}"


def root(x):
    """The exact square root of a value, to compute with in a template: (2 * (a | root)) | tex."""
    return sp.sqrt(value_of(x))


def exp(x) -> str:
    """e to the power x as a person writes it: 1 for x = 0, e for x = 1, else e^{x}."""
    k = value_of(x)
    return "1" if k == 0 else "e" if k == 1 else f"e^{{{tex(x)}}}"


def lin(*terms) -> str:
    """A linear combination from (coefficient, symbol) pairs, symbol "" for a constant:
    lin((1, "x"), (-2, "y"), ("0.3", "")) -> "x - 2\\,y + 0.3". Zero terms are dropped."""
    out = []
    for coefficient, symbol in terms:
        if value_of(coefficient) == 0:
            continue
        size = _magnitude(coefficient)
        body = symbol if symbol and value_of(size) == 1 else f"{tex(size)}\\,{symbol}" if symbol else tex(size)
        sign = "-" if _negative(coefficient) else "+"
        out.append(f"{'-' if sign == '-' else ''}{body}" if not out else f" {sign} {body}")
    return "".join(out) or "0"


def power(symbol: str, exponent) -> str:
    """symbol^{exponent} as a symbol for `lin`: x^1 is x, and x^0 is "" (lin's constant term)."""
    k = value_of(exponent)
    return "" if k == 0 else symbol if k == 1 else f"{symbol}^{{{tex(exponent)}}}"


def _exact_in(x, digits: int) -> bool:
    """Whether x is exactly a decimal with at most `digits` places (3 for 0, -0.25 for 2)."""
    return bool((value_of(x) * 10**digits).is_integer)


def to_decimals(answer, digits: int = 2) -> str:
    """", to two decimals" for a key that needs rounding; "" for an integer key (nothing to round)."""
    return "" if _exact_in(answer, 0) else f", to {NUMBER_WORDS[digits]} decimals"


def approx(x, digits: int = 4, short: int | None = None) -> str:
    """A computed value in a worked solution: "0.3033" (or "0.3033 \\approx 0.30" with `short`),
    but "9.5" or "-4" when the value is exactly that."""
    if _exact_in(x, digits):
        return f"{float(value_of(x)):.{digits}f}".rstrip("0").rstrip(".")
    return fmt(x, digits) if short is None else f"{fmt(x, digits)} \\approx {fmt(x, short)}"


FILTERS = {"base": base, "factor": factor, "plus": plus, "minus": minus, "lead": lead, "exp": exp,
           "coefficient": coefficient, "root": root, "to_decimals": to_decimals, "approx": approx}
GLOBALS = {"lin": lin, "power": power}
