"""What class grading writes, all from the ledger and all at once (staged, then moved in):

* `gradebook.csv`: a row per student, a column per exercise (blank: not submitted), the total,
  and why anything could not be graded (no cell can run as a spreadsheet formula);
* `results.jsonl`: every (student, exercise) report, each check's outcome and message included;
* `feedback/<student>.md` and `.html`: the messages `gengrade check` gives, per exercise, with
  the checks' figures inline in the HTML and as `feedback/<student>-<exercise>-<check>.png`;
* `report.html`: the class report (score distribution, pass rate per exercise and check, how
  often each known mistake was named, what could not be graded).
"""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter, defaultdict
from fractions import Fraction
from pathlib import Path
from typing import Any

from grader import atomic
from grader.check.display import format_report
from grader.check.figure import png, with_svgs
from grader.check.models import CheckResult, Report
from grader.course import Exercise
from grader.exam.item_analysis import histogram_svg
from grader.exam.render import render_page
from grader.spreadsheet import csv_text

GRADEBOOK, RESULTS, FEEDBACK, REPORT = "gradebook.csv", "results.jsonl", "feedback", "report.html"
OUTPUTS = (GRADEBOOK, RESULTS, FEEDBACK, REPORT)  # what a run leaves in OUT, besides the ledger


def write_outputs(out: Path, students: list[str], exercises: list[Exercise], reports: dict[tuple[str, str], dict],
                  problems: dict[tuple[str, str], str], notes: dict[str, str] | None = None) -> None:
    """`notes`: student -> what the instructor should know about the entry (in the gradebook's notes)."""
    names = file_names(students)
    with atomic.staged_folder(out, force=True) as stage:
        _write(stage / GRADEBOOK, gradebook(students, exercises, reports, problems, notes))
        _write(stage / RESULTS, "".join(json.dumps({"student": s, **r}, sort_keys=True) + "\n"
                                        for (s, _), r in sorted(reports.items())))
        (stage / FEEDBACK).mkdir()
        by_student, reasons_of = _by_student(reports), _by_student(problems)
        for student in students:
            mine, reasons = [as_report(r) for r in by_student[student].values()], reasons_of[student]
            _write(stage / FEEDBACK / f"{names[student]}.md", feedback_md(student, mine, reasons))
            _write(stage / FEEDBACK / f"{names[student]}.html", render_page("feedback", "html", {
                "student": student, "total": sum(r.score for r in mine), "maximum": sum(e.points for e in exercises),
                "reports": [with_svgs(r.to_json()) for r in mine],
                "problems": [{"exercise": e, "reason": why} for e, why in sorted(reasons.items())]}))
            _write_figures(stage / FEEDBACK, names[student], mine)
        written = {path.name for path in (stage / FEEDBACK).iterdir()}
        _write(stage / REPORT, render_page("class_report", "html", class_context(students, exercises, reports, problems)))
    for stale in (out / FEEDBACK).iterdir():  # a student no longer submitted keeps no feedback
        if stale.name not in written:
            stale.unlink()


def _by_student(table: dict[tuple[str, str], Any]) -> defaultdict[str, dict[str, Any]]:
    """{(student, exercise): value} as {student: {exercise: value}} in exercise order: grouped once,
    so writing a class's outputs is linear in its size."""
    grouped: defaultdict[str, dict[str, Any]] = defaultdict(dict)
    for (student, exercise), value in sorted(table.items()):
        grouped[student][exercise] = value
    return grouped


def _write_figures(folder: Path, name: str, reports: list[Report]) -> None:
    for report in reports:
        for check in report.checks:
            if check.figure:
                (folder / f"{name}-{report.exercise}-{check.name}.png").write_bytes(png(check.figure))


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))  # bytes as they are: CRLF in the gradebook stays CRLF


def file_names(students: list[str]) -> dict[str, str]:
    """A safe, distinct file name for every student id."""
    out, taken = {}, set()
    for student in students:
        base = re.sub(r"[^A-Za-z0-9._-]", "_", student).strip(".") or "student"
        name, k = base, 1
        while name.lower() in taken:
            k += 1
            name = f"{base}-{k}"
        taken.add(name.lower())
        out[student] = name
    return out


def as_report(data: dict) -> Report:
    fields = {k: v for k, v in data.items() if k in Report.__dataclass_fields__}
    return Report(**{**fields, "checks": tuple(CheckResult(**c) for c in data["checks"])})


def gradebook(students: list[str], exercises: list[Exercise], reports: dict, problems: dict,
              notes: dict[str, str] | None = None) -> str:
    rows: list[list] = [["student_id", *(e.id for e in exercises), "total", "notes"],
                        ["(points possible)", *(e.points for e in exercises), sum(e.points for e in exercises), ""]]
    reasons_of = _by_student(problems)
    for student in students:
        scores = [reports.get((student, e.id), {}).get("score", "") for e in exercises]
        why = [f"{e if e != '*' else 'submission'}: {why}" for e, why in reasons_of[student].items()]
        why += [f"note: {notes[student]}"] if notes and student in notes else []
        rows.append([student, *scores, sum(x for x in scores if x != ""), "; ".join(why)])
    return csv_text(rows)


def feedback_md(student: str, reports: list[Report], problems: dict[str, str]) -> str:
    lines = [f"# Feedback for {student}", "", f"Total: {sum(r.score for r in reports)}", ""]
    lines += [f"- {e if e != '*' else 'submission'}: not graded: {why}" for e, why in sorted(problems.items())]
    for report in reports:
        lines += ["", f"## {report.exercise} {report.title}: {report.score}/{report.max_score}", "", "```text",
                  format_report(report, color=False), "```"]
    return "\n".join(lines) + "\n"


def class_context(students: list[str], exercises: list[Exercise], reports: dict, problems: dict) -> dict:
    from markupsafe import Markup

    totals = [sum(reports.get((s, e.id), {}).get("score", 0) for e in exercises) for s in students]
    maximum = sum(e.points for e in exercises)
    return {"title": ", ".join(e.id for e in exercises), "students": len(students), "graded": len(reports),
            "mean": f"{statistics.mean(totals):.2f}" if totals else "-", "maximum": maximum,
            "median": f"{statistics.median(totals):g}" if totals else "-",
            "histogram": Markup(histogram_svg([Fraction(t) for t in totals], maximum)),
            "exercises": [_exercise_row(e, reports) for e in exercises],
            "checks": [row for e in exercises for row in _check_rows(e, reports)],
            "mistakes": _mistakes(reports),
            "problems": [{"student": s, "exercise": e, "reason": why} for (s, e), why in sorted(problems.items())]}


def _exercise_row(exercise: Exercise, reports: dict) -> dict:
    scores = [r["score"] for (_, e), r in reports.items() if e == exercise.id]
    return {"id": exercise.id, "title": exercise.title, "points": exercise.points, "submitted": len(scores),
            "full": sum(s == exercise.points for s in scores),
            "mean": f"{statistics.mean(scores):.2f}" if scores else "-"}


def _check_rows(exercise: Exercise, reports: dict) -> list[dict]:
    mine = [r for (_, e), r in reports.items() if e == exercise.id]
    rows: dict[str, dict] = {}
    for report in mine:
        for check in report["checks"]:
            row = rows.setdefault(check["name"], {"exercise": exercise.id, "title": check["title"],
                                                  "points": check["max_points"], "passed": 0, "mistakes": Counter()})
            row["passed"] += check["outcome"] == "pass"
            if check["misconception"]:
                row["mistakes"][check["misconception"]] += 1
    return [{**row, "rate": f"{row['passed'] / len(mine):.0%}", "mistakes": row["mistakes"].most_common()}
            for row in rows.values()]


def _mistakes(reports: dict) -> list[dict]:
    seen = Counter((e, m) for (_, e), r in reports.items()
                   for m in {c["misconception"] for c in r["checks"] if c["misconception"]})
    return [{"exercise": e, "id": m, "count": n} for (e, m), n in seen.most_common()]
