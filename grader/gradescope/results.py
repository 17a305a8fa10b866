"""Gradescope's results.json, built from gengrade reports.

One test per check, with its points and message. Public checks are "visible" at once;
hidden checks are "after_published": their results, named mistakes and hints appear when the
instructor publishes the grades, so students cannot probe the hidden suite by resubmitting,
and (Gradescope's rule) they see no total score until then. For the same reason the
top-level output, visible at once, names files and what stopped a run, never a score.

Every text in it (check messages, what the student's code printed, file names the student
chose) is declared plain text (`output_format` "text", at the top and on every test), so
Gradescope never renders a student's string as HTML or Markdown.
"""

from __future__ import annotations

from grader.check.models import CheckResult, Report
from grader.course import Exercise

PUBLIC, HIDDEN = "visible", "after_published"
TEXT = {"output_format": "text", "name_format": "text"}  # how Gradescope shows a test's output and name


def check_tests(number: int, exercise: Exercise, report: Report) -> list[dict]:
    """One Gradescope test per check of the report."""
    return [{"name": f"{exercise.id}: {check.title}", "number": f"{number}.{i}",
             "score": check.points, "max_score": check.max_points,
             "status": "passed" if check.passed else "failed",
             "output": _output(check, report), "visibility": PUBLIC if check.public else HIDDEN, **TEXT}
            for i, check in enumerate(report.checks, 1)]


def lost_test(number: int, exercise: Exercise, reason: str) -> dict:
    """The exercise's only test when its file could not be graded: 0 points, and why, visible at once."""
    return {"name": f"{exercise.id}: {exercise.file}", "number": f"{number}.1", "score": 0,
            "max_score": exercise.points, "status": "failed", "output": reason, "visibility": PUBLIC, **TEXT}


def results_json(tests: list[dict], output: list[str], elapsed_s: float, extra: dict) -> dict:
    return {"score": sum(t["score"] for t in tests), "execution_time": round(elapsed_s, 1),
            "output": "\n".join(output), "output_format": "text", "test_output_format": "text",
            "test_name_format": "text", "stdout_visibility": "hidden", "extra_data": extra, "tests": tests}


def _output(check: CheckResult, report: Report) -> str:
    if check.passed:
        return "passed"
    return check.message or report.headline or check.outcome
