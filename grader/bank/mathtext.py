"""Safe parsing of the math that students type (answers) and authors write (bank expressions).

Nothing here calls `eval`/`sympify` on raw text: input is first tokenized and checked
against a whitelist (numbers, declared names, whitelisted functions, arithmetic), and only
then handed to sympy's `parse_expr` with an empty `__builtins__`.
"""

from __future__ import annotations

import difflib
import io
import keyword
import re
import tokenize
from functools import lru_cache
from typing import Iterable

import sympy as sp
from sympy.parsing.sympy_parser import (auto_number, auto_symbol, convert_xor, implicit_multiplication,
                                        parse_expr, rationalize)

MAX_CHARS = 200  # longest answer a student may type
MAX_EXPONENT = 1000  # |numeric exponent| allowed in student input (9**9**9 would hang sympy)
MAX_MAGNITUDE = 1e300  # largest |number| a student expression may build

FUNCTIONS = {
    "sqrt": sp.sqrt, "cbrt": sp.cbrt, "exp": sp.exp, "log": sp.log, "ln": sp.log,
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "asin": sp.asin, "acos": sp.acos, "atan": sp.atan,
    "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh, "abs": sp.Abs, "Abs": sp.Abs,
    "floor": sp.floor, "ceiling": sp.ceiling, "min": sp.Min, "max": sp.Max, "Min": sp.Min, "Max": sp.Max,
    "erf": sp.erf, "sign": sp.sign, "pi": sp.pi, "E": sp.E,
}
STUDENT_ONLY = {"e": sp.E}  # students write e^2; authors must say E (e may be a parameter)
AUTHOR_ONLY = {"Sum": sp.Sum, "Product": sp.Product, "factorial": sp.factorial,
               "binomial": sp.binomial, "gamma": sp.gamma, "Rational": sp.Rational, "Eq": sp.Eq, "Ne": sp.Ne}
RESERVED = set(FUNCTIONS) | set(AUTHOR_ONLY) | {"answer", "e", "I", "oo", "nan"}
OPERATORS = {"+", "-", "*", "/", "**", "^", "(", ")", ","}
RELATIONS = {"<", "<=", ">", ">="}  # authors' constraints only
NUMBER = re.compile(r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
STUDENT_STEPS = (auto_symbol, auto_number, convert_xor, implicit_multiplication)
AUTHOR_STEPS = (auto_symbol, auto_number, rationalize, convert_xor, implicit_multiplication)


class MathSyntaxError(ValueError):
    """Text that is not a readable formula; the message says what to change."""


def parse_relation(text: str, names: Iterable[str]) -> sp.Basic:
    """An author's constraint such as "var1 > 1/4" (one comparison, no chains)."""
    expr = _parse(str(text).strip(), names, True, OPERATORS | RELATIONS)
    if not isinstance(expr, sp.logic.boolalg.Boolean):
        raise MathSyntaxError(f"{text!r} is not a comparison such as \"a > 1/4\"")
    return expr


def parse_math(text: str, names: Iterable[str] = (), *, author: bool = False) -> sp.Expr:
    """A sympy expression of `text` using only whitelisted functions and the given `names`.

    Students' input is capped in length and in the size of the numbers it builds; authors'
    decimals become exact rationals (0.02 -> 1/50)."""
    text = str(text).strip()
    if not author and len(text) > MAX_CHARS:
        raise MathSyntaxError(f"answer is {len(text)} characters long; at most {MAX_CHARS} are read")
    expr = _parse(text, names, author, OPERATORS)
    if not isinstance(expr, sp.Expr):
        raise MathSyntaxError(f"{text!r} is not a single number or formula")
    return expr


def _parse(text: str, names: Iterable[str], author: bool, operators: set[str]) -> sp.Basic:
    table = _namespace(tuple(sorted(set(names))), author)
    _check_tokens(text, table, operators)
    steps = AUTHOR_STEPS if author else STUDENT_STEPS
    scope = {"__builtins__": {}, **_SYMPY_CORE}
    try:
        if not author:
            _check_size(_single(text, parse_expr(text, dict(table), steps, scope, evaluate=False)))
        return _single(text, parse_expr(text, dict(table), steps, scope))
    except MathSyntaxError:
        raise
    except Exception as exc:  # sympy raises many kinds for malformed formulas
        raise MathSyntaxError(f"cannot read {text!r} as a formula ({type(exc).__name__}: {exc})") from None


def _single(text: str, expr: object) -> sp.Basic:
    if not isinstance(expr, (sp.Expr, sp.logic.boolalg.Boolean)):
        raise MathSyntaxError(f"{text!r} is not a single number or formula")
    return expr


_SYMPY_CORE = {"Integer": sp.Integer, "Float": sp.Float, "Rational": sp.Rational, "Symbol": sp.Symbol,
               "Add": sp.Add, "Mul": sp.Mul, "Pow": sp.Pow}


@lru_cache(maxsize=512)
def _namespace(names: tuple[str, ...], author: bool) -> dict[str, object]:
    table = {**FUNCTIONS, **(AUTHOR_ONLY if author else STUDENT_ONLY)}
    table.update({name: symbol(name) for name in names})
    return table


def symbol(name: str) -> sp.Symbol:
    """Every name is a real symbol, so that expressions from different texts share symbols."""
    return sp.Symbol(name, real=True)


def _check_tokens(text: str, table: dict, operators: set[str]) -> None:
    """Reject anything but numbers, known names and arithmetic: no dots, strings, dunders."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError) as exc:
        raise MathSyntaxError(f"cannot read {text!r}: {exc.args[0]}") from None
    for tok in tokens:
        kind, word = tok.type, tok.string
        if kind in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER) or (kind == tokenize.OP and word in operators):
            continue
        if kind == tokenize.NUMBER and NUMBER.fullmatch(word):
            continue
        if kind == tokenize.NAME and word in table and not keyword.iskeyword(word):
            continue
        raise MathSyntaxError(_refusal(word, kind, table))
    if not any(t.type in (tokenize.NUMBER, tokenize.NAME) for t in tokens):
        raise MathSyntaxError("empty answer: type a number or a formula")


def _refusal(word: str, kind: int, table: dict) -> str:
    if kind != tokenize.NAME:
        return f"{word!r} is not allowed here: use numbers, names, + - * / ^ ** and parentheses"
    symbols = sorted(n for n, v in table.items() if isinstance(v, sp.Symbol))
    close = difflib.get_close_matches(word, list(table), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    known = f" (known here: {', '.join(symbols)})" if symbols else ""
    return f"unknown name {word!r}{known}{hint}"


def _check_size(tree: sp.Basic) -> None:
    """Refuse numbers too big to compute exactly, before sympy tries to (bottom-up)."""
    for node in sp.postorder_traversal(tree):
        if node.is_Pow and node.exp.is_number and abs(_magnitude(node.exp)) > MAX_EXPONENT:
            raise MathSyntaxError(f"the exponent in {node} is too large (at most {MAX_EXPONENT})")
        if isinstance(node, sp.Expr) and node.is_number and not node.is_Atom and abs(_magnitude(node)) > MAX_MAGNITUDE:
            raise MathSyntaxError(f"{node} is infinite or too large a number")


def _magnitude(node: sp.Expr) -> float:
    value = complex(node.evalf(15))
    return float("inf") if value != value else abs(value)


@lru_cache(maxsize=4096)
def exact_number(text: str) -> sp.Expr:
    """An author's exact constant ("1/2", "0.02", "log(2)"), parsed once per process."""
    return parse_math(text, author=True)
