"""Turn a Problem's text into sympy expressions and one numeric function, once per problem.

Every expression is rewritten in terms of the parameters alone (derived values substituted),
so an instance is one `xreplace` (exact) and a validation sweep is one lambdified call per draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import mpmath
import sympy as sp
from sympy.printing.pycode import MpmathPrinter

from grader.bank.render import referenced
from grader.bank.mathtext import MathSyntaxError, exact_number, parse_math, parse_relation, symbol
from grader.bank.problem import BankInvalid, Issue, Problem


class _Printer(MpmathPrinter):
    """mpmath code that also knows Product (sympy's printer only knows Sum)."""

    def _print_Product(self, expr):
        loops = " ".join(f"for {self._print(i)} in range({self._print(a)}, {self._print(b)}+1)"
                         for i, a, b in expr.limits[::-1])
        return f"{self._module_format('mpmath.fprod')}({self._print(expr.function)} {loops})"


@dataclass(frozen=True)
class Compiled:
    params: tuple[sp.Symbol, ...]
    variables: tuple[sp.Symbol, ...]
    derived: dict[str, sp.Expr]  # name -> expression of the params
    constraints: tuple[sp.Basic, ...]
    answer: sp.Expr | None
    misconceptions: tuple[sp.Expr, ...]
    options: tuple[sp.Expr | None, ...]  # None where an option has no value
    bounds: tuple[sp.Expr, ...]  # tolerance range [lo, hi], if given
    holds: Callable  # (*params) -> bool: do all constraints hold
    numeric: Callable  # (*params, *variables) -> [answer, *misconceptions, *option values, *bounds]
    shown: tuple[str, ...]  # derived names the templates use (only these are computed per instance)

    def exact(self, params: dict[str, str]) -> dict[sp.Symbol, sp.Expr]:
        """Parameter symbol -> exact value, for one instance."""
        return {s: exact_number(params[s.name]) for s in self.params}

    def numbers(self, params: dict[str, str]) -> list:
        """Parameter values as mpmath numbers (integers stay int, for Product/Sum limits)."""
        return [numeric_value(params[s.name]) for s in self.params]

    def satisfied(self, params: dict[str, str]) -> bool:
        try:
            return bool(self.holds(*self.numbers(params)))
        except (ArithmeticError, ValueError, TypeError):
            return False  # e.g. a division by zero in a constraint: reject the draw


@lru_cache(maxsize=4096)
def numeric_value(text: str):
    value = exact_number(text)
    return int(value) if value.is_Integer else mpmath.mpmathify(str(value.evalf(30)))


def compile_problem(problem: Problem) -> Compiled:
    """Raise BankInvalid naming file, line and field for any expression that cannot be read."""
    issues: list[Issue] = []
    params = tuple(symbol(n) for n in problem.params)
    derived = _derived(problem, issues)
    read = _Reader(problem, derived, issues)
    constraints = tuple(read(("constraints", j), text, relation=True) for j, text in enumerate(problem.constraints))
    wide = problem.variables + problem.symbols
    answer = read(("answer",), problem.answer, wide) if problem.answer else None
    misconceptions = tuple(read(("misconceptions", j, "expr"), m.expr, wide)
                           for j, m in enumerate(problem.misconceptions))
    options = tuple(read(("options", j, "value"), o.value) if o.value else None for j, o in enumerate(problem.options))
    bounds = ()
    if problem.tolerance is not None and problem.tolerance.kind == "range":
        bounds = tuple(read(("tolerance", "range", j), text) for j, text in enumerate(problem.tolerance.bounds))
    if issues:
        raise BankInvalid(issues)
    variables = tuple(symbol(n) for n in problem.variables)
    outputs = [e for e in (answer, *misconceptions, *options, *bounds) if e is not None]
    return Compiled(params, variables, derived, constraints, answer, misconceptions, options, bounds,
                    _lambdify(params, sp.And(*constraints) if constraints else sp.true),
                    _lambdify(params + variables, outputs), _shown(problem, derived))


def _shown(problem: Problem, derived: dict) -> tuple[str, ...]:
    texts = [problem.stem, problem.solution, *(o.text for o in problem.options), *(o.feedback for o in problem.options),
             *(m.feedback for m in problem.misconceptions)]
    used = set().union(*(referenced(t) for t in texts))
    return tuple(name for name in derived if name in used)


def _lambdify(args: tuple, expr) -> Callable:
    printer = _Printer({"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": True})
    return sp.lambdify(args, expr, modules="mpmath", printer=printer)


def _derived(problem: Problem, issues: list[Issue]) -> dict[str, sp.Expr]:
    """Each derived value in terms of the params only, in declaration order."""
    derived: dict[str, sp.Expr] = {}
    for name, text in problem.derived.items():
        expr = _Reader(problem, derived, issues)(("derived", name), text, problem.symbols)
        derived[name] = symbol(name) if expr is None else expr  # a broken one is reported once, not at each use
    return derived


class _Reader:
    """Parse one author expression over the params and the derived values so far."""

    def __init__(self, problem: Problem, derived: dict[str, sp.Expr], issues: list[Issue]):
        self.problem, self.derived, self.issues = problem, derived, issues
        self.names = (*problem.params, *derived)
        self.inline = {symbol(n): e for n, e in derived.items()}

    def __call__(self, path: tuple, text: str, extra: tuple[str, ...] = (), relation: bool = False):
        try:
            names = self.names + extra
            expr = parse_relation(text, names) if relation else parse_math(text, names, author=True)
        except MathSyntaxError as exc:
            self.issues.append(self.problem.origin.issue(path, f"{exc}; declare names under params or derived"))
            return None
        return expr.xreplace(self.inline)
