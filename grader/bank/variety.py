"""How varied a family is, counted by the answers students would write, not by parameter draws.

Two instances whose keys a student writes alike are one question to a neighbour who copies:
wgan-w1-discrete had 79 parameter combinations but 3 answers. A NAT answer is written as the
key rounded to the power of ten nearest the tolerance (abs 0.01: two decimals; abs 0.0002:
four; 2% of 3.9e-5: 1e-6); an MCQ's or MSQ's answer is the values of its correct options to
three significant figures; a formula (expr) or an option without a value stands for its
parameters. Over the validation sweep's draws (each satisfying combination equally likely),
`share` is the probability that two independent draws give the same answer.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Hashable

from grader.bank.problem import Issue, Problem

SHARE = 0.05  # two draws of a family agreeing more often than this draws a warning


@dataclass(frozen=True)
class Variety:
    answers: int  # distinct answers among the draws
    share: float  # probability that two independent draws give the same answer
    draws: int  # draws counted
    exact: bool  # True: the draws were the whole grid, each satisfying combination once

    def __str__(self) -> str:
        return f"{'' if self.exact else '>= '}{self.answers} answers, P(same) {self.share:.3f}"


def written(key: float, lo: float, hi: float) -> tuple[int, int]:
    """The key as a student writes it: (k, e) for k * 10**e, e the power of ten nearest the
    half-width of the accepted range [lo, hi]."""
    half = (hi - lo) / 2
    exponent = round(math.log10(half)) if half > 0 else -12
    return round(key / 10.0 ** exponent), exponent


def shown(answer: tuple[int, int]) -> str:
    """A written NAT answer as text: (683, -3) -> "0.683"."""
    digits, exponent = answer
    return f"{digits * 10.0 ** exponent:.{max(0, -exponent)}f}"


def written_answer(problem: Problem, params: dict[str, str], parts: tuple | None) -> Hashable:
    """What a student writes for one draw; `parts` = (key, misconceptions, option values, range bounds)."""
    if parts is not None and problem.type == "nat" and parts[0] is not None:
        key, _, _, bounds = parts
        lo, hi = bounds if problem.tolerance.kind == "range" else problem.tolerance.around(key)
        return written(key, lo, hi)
    if parts is not None and problem.type in ("mcq", "msq") and all(v is not None for v in parts[2]):
        return tuple(float(f"{v:.3g}") for v, o in zip(parts[2], problem.options) if o.correct)
    return tuple(sorted(params.items()))


def measure(answers: list[Hashable], exact: bool) -> Variety:
    """Distinct answers and the chance two draws agree: exact over a whole grid, else the unbiased
    estimate from draws with replacement."""
    counts, n = Counter(answers), len(answers)
    if exact:
        share = sum(c * c for c in counts.values()) / n ** 2
    else:
        share = sum(c * (c - 1) for c in counts.values()) / (n * (n - 1)) if n > 1 else 1.0
    return Variety(len(counts), share, n, exact)


def warning(problem: Problem, found: Variety) -> Issue | None:
    """A warning for a parameterised family whose two draws agree too often."""
    if problem.fixed or found.share <= SHARE:
        return None
    return problem.origin.issue(("params",), f"{problem.id}: two draws give the same answer with probability "
                                             f"{found.share:.2f} ({found.answers} distinct answers), above {SHARE}: "
                                             "students who copy will often be right; widen the params")


def table(found: dict[str, Variety]) -> list[str]:
    """One line per parameterised family, the most repetitive first."""
    rows = sorted(found.items(), key=lambda item: (-item[1].share, item[0]))
    return [f"  {v.share:6.3f}  {('' if v.exact else '>=') + str(v.answers):>6}  {pid}" for pid, v in rows]
