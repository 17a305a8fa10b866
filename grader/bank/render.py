"""Jinja rendering of problem stems, options and solutions (one strict environment)."""

from __future__ import annotations

import operator
import re
from functools import lru_cache

import jinja2
import jinja2.meta
import sympy as sp

DECIMAL = re.compile(r"-?\d+(\.\d+)?")


class Exact:
    """A parameter value shown as the author wrote it ("0.02") that computes as its exact sympy number."""

    __slots__ = ("text", "value")

    def __init__(self, text: str, value: sp.Expr):
        self.text, self.value = text, value

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Exact({self.text!r})"

    def _sympy_(self) -> sp.Expr:
        return self.value

    def __float__(self) -> float:
        return float(self.value)

    def __int__(self) -> int:
        return int(self.value)

    def __neg__(self) -> sp.Expr:
        return -self.value

    def __hash__(self) -> int:
        return hash(self.value)


def _delegate(op, reflected: bool):
    def method(self: Exact, other):
        other = other.value if isinstance(other, Exact) else other
        return op(other, self.value) if reflected else op(self.value, other)
    return method


for _name in ("add", "sub", "mul", "truediv", "pow"):
    setattr(Exact, f"__{_name}__", _delegate(getattr(operator, _name), False))
    setattr(Exact, f"__r{_name}__", _delegate(getattr(operator, _name), True))
for _name in ("lt", "le", "gt", "ge", "eq", "ne"):
    setattr(Exact, f"__{_name}__", _delegate(getattr(operator, _name), False))


def value_of(x) -> sp.Expr:
    """The exact sympy number behind a template value (an Exact param, a derived value, a literal)."""
    return x.value if isinstance(x, Exact) else sp.sympify(x)


def fmt(x, digits: int = 2) -> str:
    """Fixed-point text with `digits` decimals ("-0.00" shows as "0.00")."""
    text = f"{float(value_of(x)):.{digits}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def sig(x, digits: int = 3) -> str:
    """`digits` significant figures; tiny or huge numbers as LaTeX a\\times10^{b}."""
    text = f"{float(value_of(x)):.{digits}g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return f"{mantissa}\\times 10^{{{int(exponent)}}}"


def tex(x) -> str:
    """LaTeX of an exact value or formula (params print as written); "-\\frac{1}{2}", not "- \\frac{1}{2}"."""
    if isinstance(x, Exact) and DECIMAL.fullmatch(x.text):
        return x.text
    text = sp.latex(value_of(x))
    return "-" + text[2:] if text.startswith("- ") else text


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Strict: an undeclared name in a template is an error, not a blank on an exam paper."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False, autoescape=False)
    from grader.bank.typeset import FILTERS, GLOBALS

    env.filters.update(fmt=fmt, sig=sig, tex=tex, **FILTERS)
    env.globals.update(GLOBALS)
    return env


@lru_cache(maxsize=4096)
def template(source: str) -> jinja2.Template:
    """Compiled once per distinct source text."""
    return environment().from_string(source)


def render(source: str, context: dict) -> str:
    return template(source).render(context).strip()


def referenced(source: str) -> set[str]:
    """Names a template reads; a syntax error reads nothing here (rendering reports it)."""
    try:
        return jinja2.meta.find_undeclared_variables(environment().parse(source))
    except jinja2.TemplateSyntaxError:
        return set()
