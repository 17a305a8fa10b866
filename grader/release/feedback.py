"""`gengrade check` inside a release: the public checks' report, honest about what it leaves out.

The report of a release covers the public checks only, so its score line must not read as
the exercise's score: it is relabelled as the public checks' and followed by a line naming
the hidden checks that run at grading; the JSON report says the same in its own fields.
"""

from __future__ import annotations

import click

from grader.check.models import Report
from grader.release.manifest import HiddenPart

VERDICTS = {"passed": ("all public checks pass", "green"), "failed": ("some public checks fail", "red"),
            "not-started": ("not started yet", "yellow")}


def public_text(full_text: str, report: Report, hidden: HiddenPart) -> str:
    """The terminal report with its last line, the score, replaced by the public score and the hidden part."""
    lines = full_text.splitlines()
    if lines and click.unstyle(lines[-1]).startswith("Score:"):
        lines.pop()
    verdict, colour = VERDICTS[report.status]
    score = f"Public checks: {report.score}/{report.max_score} points"
    lines.append(click.style(score, bold=True) + "  " + click.style(verdict, fg=colour))
    lines.append(f"Not checked here: {hidden.sentence()}.")
    return "\n".join(lines)


def public_json(data: dict, hidden: HiddenPart) -> dict:
    """The JSON report with the scope of its score and the hidden part it leaves out."""
    return {**data, "scope": "public checks only", "exercise_points": hidden.exercise_points,
            "hidden_checks": hidden.checks, "hidden_points": hidden.points,
            "note": f"score and max_score count the public checks only; {hidden.sentence()}"}
