"""`gengrade check --json` inside a release: the public checks' report, honest about what it
leaves out (the terminal report does the same in grader.check.display)."""

from __future__ import annotations

from grader.release.manifest import HiddenPart


def public_json(data: dict, hidden: HiddenPart) -> dict:
    """The JSON report with the scope of its score and the hidden part it leaves out."""
    return {**data, "scope": "public checks only", "exercise_points": hidden.exercise_points,
            "hidden_checks": hidden.checks, "hidden_points": hidden.points,
            "note": f"score and max_score count the public checks only; {hidden.sentence()}"}
