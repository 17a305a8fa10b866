"""Deep validation of bank entries: does the mathematics hold over the whole parameter space?

Sweeps many parameter draws through the problem's one lambdified function (never `subs` in a
loop), then builds a few real instances to prove the templates render.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import mpmath

from grader.bank.load import read_bank
from grader.bank.instance import LETTERS, instantiate
from grader.bank.problem import BankInvalid, Issue, Problem
from grader.bank.ranges import clip, domain_faults, precision_faults
from grader.bank.variety import Variety, measure, warning, written_answer

SWEEP = 120  # parameter draws checked numerically per problem
RENDERED = 3  # of which instantiated and rendered in full
TRIES = 2000  # draws tried to find SWEEP that satisfy the constraints
POINTS = (0.13, 0.29, 0.47, 0.61, 0.83)  # where expr answers are evaluated


@dataclass(frozen=True)
class Report:
    files: int
    problems: int
    issues: list[Issue]
    variety: dict[str, Variety] = field(default_factory=dict)  # parameterised problem id -> distinct instances
    warnings: list[Issue] = field(default_factory=list)  # too few instances: worth fixing, not invalid


def validate(path: Path) -> Report:
    """Every problem under `path` checked; UsageError if a file is not readable YAML."""
    contents = read_bank(path)
    issues = contents.issues
    report = Report(contents.files, len(contents.problems), issues)
    for problem in contents.problems:
        found, answers = check_problem(problem)
        issues += found
        if not found and not problem.fixed:
            report.variety[problem.id] = measure(answers, exact=_enumerated(problem))
            report.warnings.extend(filter(None, [warning(problem, report.variety[problem.id])]))
    return report


def check_problem(problem: Problem) -> tuple[list[Issue], list]:
    """The problem's issues, and the answer a student would write at each draw of the sweep."""
    try:
        problem.compiled
    except BankInvalid as exc:
        return exc.issues, []
    draws = satisfying_draws(problem)
    if not draws:
        tried = min(math.prod(s.size for s in problem.params.values()), TRIES)
        return [problem.origin.issue(("constraints",), f"no draw out of {tried} satisfies them; "
                                                       "relax the constraints or widen the params")], []
    found: dict[tuple, Issue] = {}  # one issue per field, from the first draw that shows it
    answers = []
    for params in draws:
        rows, error = _evaluate(problem, params)
        for path, message in _numeric_faults(problem, rows, error):
            found.setdefault(path, problem.origin.issue(path, f"{message} (at {_show(params)})"))
        answers.append(written_answer(problem, params, _split(problem, rows[0]) if rows[0] is not None else None))
    return list(found.values()) + _render_faults(problem, draws[:RENDERED]) + _example_faults(problem), answers


def _enumerated(problem: Problem) -> bool:
    """Whether the sweep takes every parameter combination once (a small grid), not random draws."""
    return math.prod(s.size for s in problem.params.values()) <= SWEEP


def satisfying_draws(problem: Problem) -> list[dict[str, str]]:
    """All parameter combinations if few, else seeded random draws; only those meeting the constraints."""
    specs = problem.params
    sizes = [s.size for s in specs.values()]
    if math.prod(sizes) <= SWEEP:
        combos = itertools.product(*(range(n) for n in sizes))
    else:
        rng = random.Random(f"validate:{problem.id}")
        combos = ([rng.randrange(n) for n in sizes] for _ in range(TRIES))
    draws = []
    for combo in combos:
        params = {name: spec.value(k) for (name, spec), k in zip(specs.items(), combo)}
        if problem.compiled.satisfied(params):
            draws.append(params)
            if len(draws) == SWEEP:
                break
    return draws


def _show(params: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in params.items()) or "the fixed instance"


def _real(x) -> float | None:
    """A finite real float, or None (complex, infinite, nan)."""
    try:
        value = complex(x)
    except (TypeError, ValueError):
        return None
    ok = value.imag == 0 and mpmath.isfinite(value.real)
    return value.real if ok else None


def _evaluate(problem: Problem, params: dict[str, str]) -> tuple[list, str | None]:
    """[answer, *misconceptions, *option values, *bounds] at each point (None where it fails), and the
    first failure of a problem that has no variables."""
    compiled = problem.compiled
    # Only formula (expr) answers depend on the evaluation point; the rest need one row.
    points = ([tuple(POINTS[(k + j) % len(POINTS)] for j in range(len(compiled.variables))) for k in range(len(POINTS))]
              if compiled.variables else [()])
    numbers = compiled.numbers(params)
    rows = []
    for point in points:
        try:
            rows.append([_real(x) for x in compiled.numeric(*numbers, *point)])
        except (ArithmeticError, ValueError, TypeError) as exc:
            rows.append(None)
            if problem.type != "expr":
                return rows, f"{type(exc).__name__}: {exc}"
    return rows, None


def _numeric_faults(problem: Problem, rows: list, error: str | None):
    """(path, message) for every rule one draw breaks."""
    if error is not None:
        yield ("answer",), f"cannot be evaluated: {error}"
        return
    check = {"nat": _nat_faults, "expr": _expr_faults, "mcq": _option_faults, "msq": _option_faults}[problem.type]
    yield from check(problem, rows)


def _split(problem: Problem, row: list) -> tuple:
    """[answer, *misconceptions, *option values, *bounds] -> its parts (options: None where no value)."""
    values = iter(row)
    answer = next(values) if problem.compiled.answer is not None else None
    wrong = [next(values) for _ in problem.compiled.misconceptions]
    options = [next(values) if v is not None else None for v in problem.compiled.options]
    return answer, wrong, options, list(values)


def _nat_faults(problem: Problem, rows: list):
    answer, wrong, _, bounds = _split(problem, rows[0])
    if answer is None:
        yield ("answer",), "is not a finite real number"
        return
    tol = problem.tolerance
    lo, hi = bounds if tol.kind == "range" else tol.around(answer)
    if lo is None or hi is None or not lo <= answer <= hi:
        yield ("tolerance",), f"the range [{lo}, {hi}] does not contain the key {answer:.6g}"
        return
    lo, hi = clip((lo, hi), problem.domain)
    for fault in domain_faults(answer, (lo, hi), problem.domain):
        yield ("domain",), fault
    for j, (spec, value) in enumerate(zip(problem.misconceptions, wrong)):
        if value is None:
            yield ("misconceptions", j, "expr"), "is not a finite real number"
            continue
        m_lo, m_hi = tol.around(value, (lo, hi))
        if m_lo <= hi and lo <= m_hi:
            yield ("misconceptions", j, "expr"), (f"{spec.id} gives {value:.6g}, within the tolerance of the key "
                                                  f"{answer:.6g}; add a constraint that keeps them apart")


def _expr_faults(problem: Problem, rows: list):
    parts = [_split(problem, row) for row in rows if row is not None]
    if not any(answer is not None for answer, *_ in parts):
        yield ("answer",), f"is not a finite real number at any of x = {', '.join(map(str, POINTS))}"
        return
    for j, spec in enumerate(problem.misconceptions):
        pairs = [(a, w[j]) for a, w, *_ in parts if a is not None and w[j] is not None]
        if pairs and all(_same(a, w) for a, w in pairs):
            yield ("misconceptions", j, "expr"), f"{spec.id} is the same formula as the answer"


def _option_faults(problem: Problem, rows: list):
    answer, _, options, _ = _split(problem, rows[0])
    for j, (spec, value) in enumerate(zip(problem.options, options)):
        if spec.value and value is None:
            yield ("options", j, "value"), "is not a finite real number"
            continue
        twin = next((k for k in range(j) if _same(options[k], value)), None)
        if value is not None and twin is not None:
            yield ("options", j, "value"), f"equals option {LETTERS[twin]} ({value:.6g}); options must differ"
        if spec.correct and problem.compiled.answer is not None and not _same(answer, value):
            yield ("answer",), f"is {answer} but the correct option {LETTERS[j]} has value {value}"


def _same(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(a))


def _render_faults(problem: Problem, draws: list[dict[str, str]]) -> list[Issue]:
    """Templates that fail to render, and NAT stems asking for a rounding their range refuses."""
    for params in draws:
        try:
            variant = instantiate(problem, params, 0)
        except BankInvalid as exc:
            return exc.issues
        if variant.type == "nat":
            faults = precision_faults(variant.stem, variant.answer, variant.interval)
            if faults:
                return [problem.origin.issue(("tolerance",), f"{faults[0]} (at {_show(params)})")]
    return []


def _example_faults(problem: Problem) -> list[Issue]:
    """The pinned golden instance must give the pinned answer."""
    example = problem.example
    if example is None:
        return []
    if set(example["params"]) != set(problem.params):
        names = ", ".join(problem.params) or "(none)"
        return [problem.origin.issue(("example", "params"), f"must give exactly the params {names}")]
    try:
        variant = instantiate(problem, example["params"], 0)
    except BankInvalid as exc:
        return exc.issues
    from grader.bank.answers import check_answer
    from grader.errors import UsageError

    try:
        result = check_answer(variant, example["answer"])
    except UsageError as exc:
        return [problem.origin.issue(("example", "answer"), str(exc))]
    if result.correct:
        return []
    return [problem.origin.issue(("example", "answer"), f"{example['answer']} is not accepted for these params: "
                                                        f"the key is {variant.answer_exact} ({result.message})")]
