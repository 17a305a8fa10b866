"""Draw reproducible instances of bank problems.

`sample(problem, seed)` is a pure function of (problem, seed): the same Variant on every
machine, because the only randomness is `random.Random(f"{id}:{seed}")` and every number
of the key is computed exactly with sympy. `present` adds the option order a student sees.
"""

from __future__ import annotations

import random
from dataclasses import replace
from functools import lru_cache

import jinja2
import sympy as sp

from grader.bank.options import self_study_order, shuffled
from grader.bank.problem import BankInvalid, Problem
from grader.bank.ranges import clip
from grader.bank.render import Exact, render
from grader.bank.variants import LETTERS, Distractor, Option, Variant
from grader.seeds import fresh_seed

MAX_DRAWS = 1000  # draws tried before a problem's constraints are declared unsatisfiable


def sample(problem: Problem, seed: int | None) -> Variant:
    """The instance of `problem` drawn by `seed` (a fresh seed if None); fixed problems ignore it."""
    if problem.fixed:
        return instantiate(problem, parameters(problem, None), None)
    if seed is None:
        seed = fresh_seed()
    return instantiate(problem, parameters(problem, seed), seed)


def parameters(problem: Problem, seed: int | None) -> dict[str, str]:
    """The parameter values `sample(problem, seed)` uses, drawn without rendering anything."""
    if problem.fixed:
        return {name: spec.value(0) for name, spec in problem.params.items()}
    return draw(problem, random.Random(f"{problem.id}:{seed}"))


def present(problem: Problem, seed: int | None) -> Variant:
    """The instance a student sees for (problem, seed), options in their seeded order.

    `seed` is kept on the result whenever it changed what is shown (parameters or option
    order), so the student can be told which seed to answer with."""
    variant = sample(problem, seed)
    seed = variant.seed if seed is None else seed  # a problem with parameters drew one
    if not variant.options:
        return variant
    return replace(shuffled(variant, self_study_order(problem.id, len(variant.options), seed)), seed=seed)


def draw(problem: Problem, rng: random.Random) -> dict[str, str]:
    """Parameter values (exact text) satisfying the constraints (checked with mpmath: fast, deterministic)."""
    compiled = problem.compiled
    for _ in range(MAX_DRAWS):
        params = {name: spec.value(rng.randrange(spec.size)) for name, spec in problem.params.items()}
        if compiled.satisfied(params):
            return params
    raise BankInvalid([problem.origin.issue(("constraints",), f"no draw out of {MAX_DRAWS} satisfies them")])


def instantiate(problem: Problem, params: dict[str, str], seed: int | None) -> Variant:
    """The Variant for given parameter values: exact key, accepted range, rendered texts."""
    return replace(_instance(problem, tuple(params.items())), seed=seed)


@lru_cache(maxsize=8192)
def _instance(problem: Problem, items: tuple[tuple[str, str], ...]) -> Variant:
    """An instance is a pure function of (problem, params), and parameter grids are small, so
    a class's papers share most of them: exact sympy work (long products included) runs once."""
    params = dict(items)
    compiled = problem.compiled
    values = compiled.exact(params)
    key = at(compiled.answer, values) if compiled.answer is not None else None
    context = {name: Exact(params[name], values[s]) for name, s in zip(problem.params, compiled.params)}
    context.update({name: at(compiled.derived[name], values) for name in compiled.shown})
    fields: dict = {"variables": problem.variables}
    if problem.type in ("mcq", "msq"):
        options = _options(problem, compiled, values, context)
        fields.update(options=options, answer_exact=",".join(LETTERS[j] for j, o in enumerate(options) if o.correct))
        context["answer"] = fields["answer_exact"]
    else:
        context["answer"] = key
        if problem.type == "nat":
            fields.update(answer=_float(problem, key, ("answer",)), interval=_interval(problem, key, values))
        fields.update(answer_exact=str(key),
                      distractors=_distractors(problem, compiled, values, fields.get("interval"), context))
    return Variant(problem_id=problem.id, title=problem.title, topic=problem.topic, type=problem.type,
                   marks=problem.marks, params=dict(params), stem=_render(problem, ("stem",), problem.stem, context),
                   solution=_render(problem, ("solution",), problem.solution, context), seed=None, **fields)


def at(expr: sp.Expr, values: dict) -> sp.Expr:
    """`expr` at exact parameter values; finite sums done exactly (sympy's evalf of a Sum is slow)."""
    return expr.xreplace(values).replace(lambda e: isinstance(e, sp.Sum) and e.is_number, lambda e: e.doit())


def _options(problem: Problem, compiled, values: dict, context: dict) -> tuple[Option, ...]:
    return tuple(Option(text=_render(problem, ("options", j, "text"), o.text, context), correct=o.correct,
                        misconception=o.misconception, value=str(at(v, values)) if v is not None else "",
                        feedback=_render(problem, ("options", j, "feedback"), o.feedback, context))
                 for j, (o, v) in enumerate(zip(problem.options, compiled.options)))


def _distractors(problem: Problem, compiled, values: dict, key_range, context: dict) -> tuple[Distractor, ...]:
    """The misconceptions at this instance; for nat, with the answers that count as each (same tolerance)."""
    out = []
    for j, (spec, expr) in enumerate(zip(problem.misconceptions, compiled.misconceptions)):
        wrong = at(expr, values)
        interval = None
        if key_range is not None:
            interval = problem.tolerance.around(_float(problem, wrong, ("misconceptions", j, "expr")), key_range)
        feedback = _render(problem, ("misconceptions", j, "feedback"), spec.feedback, context)
        out.append(Distractor(spec.id, str(wrong), feedback, interval))
    return tuple(out)


def _interval(problem: Problem, key: sp.Expr, values: dict) -> tuple[float, float]:
    """The accepted range: the tolerance around the key, or the problem's explicit range, cut at
    the closed ends of the key's domain (a probability's range stops at 0 and 1)."""
    if problem.tolerance.kind == "range":
        lo, hi = (_float(problem, at(b, values), ("tolerance", "range")) for b in problem.compiled.bounds)
        return clip((lo, hi), problem.domain)
    return clip(problem.tolerance.around(_float(problem, key, ("answer",))), problem.domain)


def _float(problem: Problem, value: sp.Expr, path: tuple) -> float:
    number = complex(value.evalf(30))
    if number.imag or number.real != number.real or abs(number.real) == float("inf"):
        raise BankInvalid([problem.origin.issue(path, f"evaluates to {value.evalf(6)}, not a finite real number")])
    return number.real


def _render(problem: Problem, path: tuple, source: str, context: dict) -> str:
    try:
        return render(source, context)
    except jinja2.TemplateError as exc:
        line = f" (template line {exc.lineno})" if getattr(exc, "lineno", None) else ""
        known = ", ".join(sorted(context))
        message = f"{exc.message or exc}{line}; names known here: {known}"
        raise BankInvalid([problem.origin.issue(path, message)]) from None
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise BankInvalid([problem.origin.issue(path, f"cannot render: {type(exc).__name__}: {exc}")]) from None
