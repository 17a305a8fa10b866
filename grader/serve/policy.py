"""The course's rules, as pure functions: deadlines and extensions, lateness, the submission
token bucket, and how much of a report a student may see.

Feedback modes: `full` (every check with its message and named mistake), `names` (every
check's name and outcome, hidden checks without their messages), `score` (the score alone).
A course picks one before the deadline and one after (say `names`, then `full`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from grader.serve.tables import Policy

MODES = ("full", "names", "score")
LATE = ("accept", "refuse", "penalty")
DEFAULT = Policy(exercise="", deadline=None, late="accept", penalty_per_day=0.0, before="full", after="full",
                 capacity=5, refill_s=600.0)
DAY = 86400.0


@dataclass(frozen=True)
class Draw:
    allowed: bool
    tokens: float  # after the draw
    retry_after_s: float  # when refused: until one token is back


def refill(tokens: float, updated: float, now: float, capacity: int, refill_s: float) -> float:
    """Tokens after refilling at one per `refill_s` seconds since `updated`, at most `capacity`."""
    return min(float(capacity), tokens + max(0.0, now - updated) / refill_s)


def draw(tokens: float, updated: float, now: float, capacity: int, refill_s: float) -> Draw:
    """Take one token if there is one."""
    available = refill(tokens, updated, now, capacity, refill_s)
    if available >= 1.0:
        return Draw(True, available - 1.0, 0.0)
    return Draw(False, available, math.ceil(round((1.0 - available) * refill_s, 6)))


def deadline_for(policy: Policy, extension: float | None) -> float | None:
    return extension if extension is not None else policy.deadline


def is_late(deadline: float | None, at: float) -> bool:
    return deadline is not None and at > deadline


def penalised(score: int, policy: Policy, deadline: float | None, at: float) -> float:
    """The score that counts: reduced by penalty_per_day per started day late (never below 0)."""
    if policy.late != "penalty" or not is_late(deadline, at):
        return float(score)
    days = math.ceil((at - deadline) / DAY)
    return max(0.0, score * (1.0 - policy.penalty_per_day * days))


def visible(report: dict, mode: str) -> dict:
    """What a student may see of a report under `mode` (see the module's docstring)."""
    shown = {k: report[k] for k in ("exercise", "title", "score", "max_score", "status") if k in report}
    if mode == "score":
        return shown | {"checks": []}
    if mode == "names":
        checks = [{k: c[k] for k in ("name", "title", "outcome", "points", "max_points", "public")}
                  | ({"message": c["message"]} if c.get("public") else {}) for c in report["checks"]]
        return shown | {"checks": checks, "headline": report.get("headline", "")}
    return report
