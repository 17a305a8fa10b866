"""How many distinct instances a family can draw, so that a class's papers do not repeat.

Parameter grids are finite: every combination that satisfies the constraints is one instance.
Small grids are counted exactly; on large ones the distinct satisfying combinations among
seeded draws give a lower bound, which is all a warning needs.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass

from grader.bank.problem import Issue, Problem

ENUMERATE = 2500  # grids up to this many combinations are counted exactly
SAMPLES = 1000  # draws that bound a larger grid's count from below
THRESHOLD = 30  # fewer distinct instances than this draws a warning


@dataclass(frozen=True)
class Variety:
    count: int  # distinct parameter combinations that satisfy the constraints
    exact: bool  # False: a lower bound from SAMPLES draws
    grid: int  # combinations in the parameter grid

    def __str__(self) -> str:
        return f"{self.count}" if self.exact else f">= {self.count}"


def variety(problem: Problem) -> Variety:
    """The problem's distinct instances, counted (grid <= ENUMERATE) or bounded from below."""
    specs = list(problem.params.values())
    sizes = [spec.size for spec in specs]
    grid = math.prod(sizes)
    if grid <= ENUMERATE:
        combos = itertools.product(*(range(n) for n in sizes))
    else:
        rng = random.Random(f"variety:{problem.id}")
        combos = {tuple(rng.randrange(n) for n in sizes) for _ in range(SAMPLES)}
    names = list(problem.params)
    count = sum(problem.compiled.satisfied({name: spec.value(k) for name, spec, k in zip(names, specs, combo)})
                for combo in combos)
    return Variety(count, grid <= ENUMERATE, grid)


def warning(problem: Problem, found: Variety) -> Issue | None:
    """A warning for a parameterised family with fewer than THRESHOLD distinct instances."""
    if problem.fixed or found.count >= THRESHOLD:
        return None
    return problem.origin.issue(("params",), f"{problem.id} has {found} distinct instances, fewer than {THRESHOLD}: "
                                             "a class's papers will repeat them; widen the params")


def table(counts: dict[str, Variety]) -> list[str]:
    """One line per parameterised family, fewest instances first."""
    rows = sorted(counts.items(), key=lambda item: (item[1].count, item[0]))
    return [f"  {str(v):>8}  {pid}" for pid, v in rows]
