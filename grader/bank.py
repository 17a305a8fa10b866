"""The problem bank: load the YAML files once, select problems, draw reproducible instances.

`sample(problem, seed)` is a pure function of (problem, seed): the same Variant on every
machine, because the only randomness is `random.Random(f"{id}:{seed}")` and every number
of the key is computed exactly with sympy.
"""

from __future__ import annotations

import difflib
import random
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import jinja2
import sympy as sp

from grader.bank_render import Exact, render
from grader.bank_schema import read_file
from grader.errors import UsageError
from grader.problem import BankInvalid, Issue, Problem
from grader.variants import LETTERS, Distractor, Option, Variant

MAX_DRAWS = 1000  # draws tried before a problem's constraints are declared unsatisfiable


@dataclass(frozen=True)
class Bank:
    root: Path
    problems: dict[str, Problem]

    def topics(self) -> dict[str, int]:
        """Topic -> number of problems, sorted by topic."""
        return dict(sorted(Counter(p.topic for p in self.problems.values()).items()))

    def get(self, problem_id: str) -> Problem:
        if problem_id not in self.problems:
            raise UsageError(f"unknown problem id {problem_id!r}{_suggest(problem_id, self.problems)}")
        return self.problems[problem_id]

    def select(self, topics: Iterable[str] | None = None, ids: Iterable[str] | None = None) -> list[Problem]:
        """Problems of the given topics and/or ids (bank order); UsageError names an unknown one."""
        chosen = list(self.problems.values())
        if topics:
            known = self.topics()
            for topic in topics:
                if topic not in known:
                    raise UsageError(f"unknown topic {topic!r}{_suggest(topic, known)}; topics: {', '.join(known)}")
            chosen = [p for p in chosen if p.topic in set(topics)]
        if ids:
            wanted = [self.get(i) for i in ids]
            chosen = [p for p in wanted if p in chosen]
        return chosen


def _suggest(word: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(known), n=3, cutoff=0.5)
    return f"; did you mean {' or '.join(close)}?" if close else ""


def read_bank(path: Path) -> tuple[list[Problem], list[Issue], int]:
    """Problems and issues of a file or a folder of *.yaml files, and the number of files read."""
    if not path.exists():
        raise UsageError(f"{path}: no such file or folder")
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))
    problems, issues, first = [], [], {}
    for file in files:
        found, wrong = read_file(file)
        issues += wrong
        for problem in found:
            if problem.id in first:
                issues.append(problem.origin.issue(("id",), f"{problem.id!r} is already used at {first[problem.id]}"))
            else:
                first[problem.id] = f"{file}:{problem.origin.lines[('problems', problem.origin.index, 'id')]}"
                problems.append(problem)
    return problems, issues, len(files)


def default_root() -> Path:
    from grader.course import course_root

    return course_root() / "problem_bank"


def load_bank(root: Path | None = None) -> Bank:
    """The bank under `root` (default: the course's problem_bank/), read once per process."""
    return _load(Path(root or default_root()).resolve())


@lru_cache(maxsize=8)
def _load(root: Path) -> Bank:
    problems, issues, _ = read_bank(root)
    if issues:
        raise BankInvalid(issues)
    return Bank(root, {p.id: p for p in problems})


def sample(problem: Problem, seed: int | None) -> Variant:
    """The instance of `problem` drawn by `seed` (a fresh seed if None); fixed problems ignore it."""
    if problem.fixed:
        return instantiate(problem, {name: spec.value(0) for name, spec in problem.params.items()}, None)
    if seed is None:
        seed = random.SystemRandom().randrange(2**31)
    return instantiate(problem, draw(problem, random.Random(f"{problem.id}:{seed}")), seed)


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
    """The accepted range: the tolerance around the key, or the problem's explicit range."""
    if problem.tolerance.kind == "range":
        lo, hi = (_float(problem, at(b, values), ("tolerance", "range")) for b in problem.compiled.bounds)
        return lo, hi
    return problem.tolerance.around(_float(problem, key, ("answer",)))


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
