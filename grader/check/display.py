"""Human-readable rendering of reports for the terminal."""

from __future__ import annotations

import textwrap

import click

from grader.check.models import CheckResult, Report

MARKS = {"pass": ("PASS", "green"), "fail": ("FAIL", "red"), "error": ("ERROR", "red"),
         "not-run": ("SKIP", "yellow"), "not-started": ("TODO", "yellow")}


def format_report(report: Report, color: bool | None = None) -> str:
    lines = [click.style(f"{report.exercise}  {report.title}", bold=True) + f"  ({report.submission})", ""]
    if report.headline:
        lines += [click.style(report.headline, fg="yellow" if report.status == "not-started" else "red"), ""]
    if report.status != "not-started" and not report.headline:
        lines += [_format_check(c) for c in report.checks]
        lines.append("")
    total = f"Score: {report.score}/{report.max_score}"
    verdict = {"passed": ("all checks pass", "green"), "failed": ("some checks fail", "red"),
               "not-started": ("not started yet", "yellow")}[report.status]
    lines.append(click.style(total, bold=True) + "  " + click.style(verdict[0], fg=verdict[1]))
    return click.unstyle("\n".join(lines)) if color is False else "\n".join(lines)


def _format_check(check: CheckResult) -> str:
    label, colour = MARKS[check.outcome]
    head = f"  {click.style(label.ljust(5), fg=colour, bold=True)} {check.title}"
    head += f"  [{check.points}/{check.max_points}]"
    if check.passed or not check.message:
        return head
    body = "\n".join(textwrap.indent(line, "        ") for line in check.message.splitlines())
    return f"{head}\n{body}"
