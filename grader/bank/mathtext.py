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
# The maths `show`, `answer` and `practice` print (grader.bank.terminal_math), read back as typed:
# a key copied from the terminal is an answer.
TERMINAL_SIGNS = str.maketrans({"√": "sqrt", "π": "pi", "·": "*", "×": "*", "−": "-", "⋅": "*"})
FUNCTION_POWER = re.compile(r"\b([a-z]+)\^(\d+)\(")  # tanh^2(x): the square of tanh(x)

FUNCTIONS = {
    "sqrt": sp.sqrt, "cbrt": sp.cbrt, "exp": sp.exp, "log": sp.log, "ln": sp.log,  # log(x, b): base b
    "log10": lambda x: sp.log(x, 10), "log2": lambda x: sp.log(x, 2),
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "sec": sp.sec, "csc": sp.csc, "cot": sp.cot,
    "asin": sp.asin, "acos": sp.acos, "atan": sp.atan, "asec": sp.asec, "acsc": sp.acsc, "acot": sp.acot,
    "arcsin": sp.asin, "arccos": sp.acos, "arctan": sp.atan,
    "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh, "sech": sp.sech, "csch": sp.csch, "coth": sp.coth,
    "asinh": sp.asinh, "acosh": sp.acosh, "atanh": sp.atanh, "asech": sp.asech, "acsch": sp.acsch,
    "acoth": sp.acoth, "abs": sp.Abs, "Abs": sp.Abs,
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
    if not author:
        text = from_terminal(text)
    expr = _parse(text, names, author, OPERATORS)
    if not isinstance(expr, sp.Expr):
        raise MathSyntaxError("not a single number or formula")
    return expr


def from_terminal(text: str) -> str:
    """Terminal maths as typed maths: "(3 √(5))/43" -> "(3 sqrt(5))/43", "tanh^2(x)" -> "(tanh(x))^2"."""
    text = text.translate(TERMINAL_SIGNS)
    while match := FUNCTION_POWER.search(text):
        end = _closing_bracket(text, match.end() - 1)
        if end is None:
            break  # unbalanced: the bracket check names it
        call = f"{match.group(1)}{text[match.end() - 1:end + 1]}"
        text = f"{text[:match.start()]}({call})^{match.group(2)}{text[end + 1:]}"
    return text


def _closing_bracket(text: str, start: int) -> int | None:
    depth = 0
    for j in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[j], 0)
        if depth == 0:
            return j
    return None


def _parse(text: str, names: Iterable[str], author: bool, operators: set[str]) -> sp.Basic:
    table = _namespace(tuple(sorted(set(names))), author)
    tokens = _check_tokens(text, table, operators)
    steps = AUTHOR_STEPS if author else STUDENT_STEPS
    scope = {"__builtins__": {}, **_SYMPY_CORE}
    try:
        if not author:
            _check_size(_single(parse_expr(text, dict(table), steps, scope, evaluate=False)))
        return _single(parse_expr(text, dict(table), steps, scope))
    except MathSyntaxError:
        raise
    except SyntaxError:
        raise MathSyntaxError(_incomplete(text, tokens)) from None
    except Exception as exc:  # sympy raises many kinds for formulas it cannot build
        raise MathSyntaxError(f"not a formula sympy can build ({type(exc).__name__}: {exc})") from None


def _single(expr: object) -> sp.Basic:
    if isinstance(expr, tuple):
        raise MathSyntaxError("several values: a comma only separates a function's arguments, "
                              "as in log(8, 2); write decimals with a point (1.5)")
    if not isinstance(expr, (sp.Expr, sp.logic.boolalg.Boolean)):
        raise MathSyntaxError("not a single number or formula")
    return expr


def _incomplete(text: str, tokens: list[tokenize.TokenInfo]) -> str:
    """Plain words for Python's "invalid syntax": which end of the formula is unfinished."""
    words = [t.string for t in tokens if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)]
    if words and words[-1] in OPERATORS - {")"}:
        return f"it ends with {words[-1]!r}; something is missing after it"
    if words and words[0] in {"*", "/", "**", "^", ","}:
        return f"it starts with {words[0]!r}; something is missing before it"
    if "()" in text.replace(" ", ""):
        return "empty brackets '()'"
    return "an operator or a number is missing, or doubled"


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


def _check_tokens(text: str, table: dict, operators: set[str]) -> list[tokenize.TokenInfo]:
    """Reject anything but numbers, known names and arithmetic: no dots, strings, dunders."""
    _check_brackets(text)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError) as exc:
        raise MathSyntaxError(str(exc.args[0])) from None
    previous = None
    for tok in tokens:
        kind, word = tok.type, tok.string
        if kind in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER) or (kind == tokenize.OP and word in operators):
            previous = tok
            continue
        if kind == tokenize.NUMBER and NUMBER.fullmatch(word):
            _check_not_after_number(previous, tok)
            previous = tok
            continue
        if kind == tokenize.NAME and word in table and not keyword.iskeyword(word):
            previous = tok
            continue
        raise MathSyntaxError(_refusal(word, kind, table))
    if not any(t.type in (tokenize.NUMBER, tokenize.NAME) for t in tokens):
        raise MathSyntaxError("empty answer: type a number or a formula")
    return tokens


def _check_brackets(text: str) -> None:
    """Unbalanced brackets, said plainly (the tokenizer only says "EOF in multi-line statement")."""
    square = next((char for char in text if char in "[]{}"), None)
    if square:
        raise MathSyntaxError(f"{square!r} is not allowed here: group with round brackets ( )")
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            raise MathSyntaxError("a ')' closes a bracket that was never opened")
    if depth:
        missing = "')'" if depth == 1 else f"{depth} ')'"
        raise MathSyntaxError(f"a bracket is not closed; add {missing}")


def _check_not_after_number(previous: tokenize.TokenInfo | None, tok: tokenize.TokenInfo) -> None:
    """Two numbers in a row would multiply ("2.3.1" as 2.3 * .1, "2 3" as 6): refuse instead."""
    if previous is None or previous.type != tokenize.NUMBER:
        return
    if previous.end == tok.start:
        raise MathSyntaxError(f"{previous.string + tok.string!r} is not a number "
                              "(one decimal point per number)")
    raise MathSyntaxError(f"two numbers in a row ({previous.string} {tok.string}); "
                          "write * between them to multiply")


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
