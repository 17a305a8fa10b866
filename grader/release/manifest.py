"""release.json: marks a folder as a student release and says what its checks leave out.

`gengrade check` inside a release runs the public checks only; this file tells it how many
hidden checks, worth how many points, each exercise keeps for grading, so the report never
passes the public points off as the exercise's total.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from grader import course
from grader.errors import UsageError

NAME = "release.json"
FORMAT = 1


@dataclass(frozen=True)
class HiddenPart:
    """What an exercise's public checks leave out."""

    checks: int
    points: int
    exercise_points: int

    def sentence(self) -> str:
        checks = f"{self.checks} hidden check{'s' if self.checks != 1 else ''}"
        return (f"{checks}, worth {self.points} of the exercise's {self.exercise_points} points, "
                "run when your work is graded")


def manifest_text(parts: dict[str, HiddenPart]) -> str:
    return json.dumps({"format": FORMAT, "public_checks_only": True,
                       "hidden": {key: asdict(part) for key, part in parts.items()}}, indent=2) + "\n"


def refuse_in_release(what: str) -> None:
    """UsageError when the course is itself a release: its suites are the public halves only."""
    if (course.course_root() / NAME).exists():
        raise UsageError(f"{course.course_root()} is itself a release (it has no hidden checks): "
                         f"build {what} from the full course")


def hidden_part(exercise_id: str, root: Path | None = None) -> HiddenPart | None:
    """The hidden part of an exercise when the course is a release; None in the full course."""
    path = (root or course.course_root()) / NAME
    if not path.is_file():
        return None
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))["hidden"][exercise_id]
        return HiddenPart(int(entry["checks"]), int(entry["points"]), int(entry["exercise_points"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path}: unreadable ({exc!r}); restore it from the handout") from None
