"""A report as the student reads it in the terminal: one screen, even when everything fails.

Checks that ended with the same error (the student's function raised the same exception,
or the run stopped before them) are listed once, on one line, under that one message.
"""

from __future__ import annotations

import textwrap

import click

from grader.check.models import CheckResult, Report

MARKS = {"pass": ("PASS", "green"), "fail": ("FAIL", "red"), "error": ("ERROR", "red"),
         "not-run": ("NOT RUN", "yellow"), "not-started": ("TODO", "yellow")}
VERDICTS = {"passed": ("all checks pass", "green"), "failed": ("some checks fail", "red"),
            "not-started": ("not started yet", "yellow"), "not-graded": ("nothing could be graded", "red")}
PUBLIC_VERDICTS = {**VERDICTS, "passed": ("all public checks pass", "green"),
                   "failed": ("some public checks fail", "red")}
INDENT = " " * 10


def format_report(report: Report, color: bool | None = None, hidden=None) -> str:
    """The report; `hidden` (a student release's HiddenPart) scopes the score to the public checks
    and ends with what the hidden checks, run at grading, are worth."""
    lines = [click.style(f"{report.exercise}  {report.title}", bold=True) + f"  ({report.submission})", ""]
    if report.headline:
        lines += [click.style(report.headline, fg="yellow" if report.status == "not-started" else "red"), ""]
    else:
        lines += [_format_group(group) for group in _groups(report.checks)] + [""]
    if report.output:
        lines += ["Your code printed:", textwrap.indent(report.output, "  | "), ""]
    if report.isolation:
        lines.append(click.style(report.isolation, dim=True) if report.isolation.startswith("isolated")
                     else click.style(report.isolation, fg="yellow"))
    verdict, colour = (PUBLIC_VERDICTS if hidden else VERDICTS)[report.status]
    score = f"Public checks: {report.score}/{report.max_score} points" if hidden else f"Score: {report.score}/{report.max_score}"
    lines.append(("" if report.status == "not-graded" else click.style(score, bold=True) + "  ")
                 + click.style(verdict, fg=colour))
    if hidden:
        lines.append(f"Not checked here: {hidden.sentence()}.")
    text = "\n".join(lines)
    return click.unstyle(text) if color is False else text


def _groups(checks: tuple[CheckResult, ...]) -> list[list[CheckResult]]:
    """Checks in order, those with the same error or not-run message merged into the first's group."""
    groups: list[list[CheckResult]] = []
    shared: dict[tuple[str, str], list[CheckResult]] = {}
    for check in checks:
        key = (check.outcome, check.message)
        if check.outcome in ("error", "not-run") and key in shared:
            shared[key].append(check)
            continue
        groups.append([check])
        shared.setdefault(key, groups[-1])
    return groups


def _format_group(group: list[CheckResult]) -> str:
    first = group[0]
    label, colour = MARKS[first.outcome]
    titles = "; ".join(c.title for c in group)
    points = f"[{sum(c.points for c in group)}/{sum(c.max_points for c in group)}]"
    head = f"  {click.style(label.ljust(7), fg=colour, bold=True)} {titles}  {points}"
    if not first.message:  # a passing check shows a message only when it noted what it measured
        return head
    return head + "\n" + textwrap.indent(first.message, INDENT)
