"""The marking's CSV outputs: one gradebook row per student, one breakdown row per answer.

Scores print with two decimals (GATE's thirds: -0.33, 1.67); totals are summed exactly
before rounding, so three wrong one-mark answers cost exactly 1.00.
"""

from __future__ import annotations

import math
from fractions import Fraction

from grader.exam.marking import Result
from grader.spreadsheet import csv_text


def fmt(value: Fraction) -> str:
    """Two decimals, half away from zero, never "-0.00"."""
    hundredths = abs(value) * 100
    rounded = int(hundredths) + (1 if hundredths - int(hundredths) >= Fraction(1, 2) else 0)
    sign = "-" if value < 0 and rounded else ""
    return f"{sign}{rounded // 100}.{rounded % 100:02d}"


def _csv(rows: list[list[str]]) -> bytes:
    return csv_text(rows).encode("utf-8")  # no cell (an id, a name, a response) can run as a formula


def gradebook(results: list[Result]) -> bytes:
    """student_id, name, status, Q1..Qn scores, counts, total and maximum.

    A blank answer leaves its cell empty (a wrong MSQ or NAT scores 0.00, which is not the
    same); an absent student has status `absent` and no scores at all."""
    width = max((len(r.marks) for r in results), default=0)
    header = ["student_id", "name", "status", *(f"Q{n}" for n in range(1, width + 1)),
              "attempted", "right", "wrong", "total", "max_marks"]
    rows = [header]
    for r in results:
        padding = [""] * (width - len(r.marks))
        if not r.present:
            rows.append([r.student_id, r.name, "absent", *([""] * width), "", "", "", "", str(r.maximum)])
            continue
        outcomes = [m.outcome for m in r.marks]
        scores = ["" if m.outcome == "blank" else fmt(m.score) for m in r.marks]
        rows.append([r.student_id, r.name, "present", *scores, *padding,
                     str(len(outcomes) - outcomes.count("blank")), str(outcomes.count("right")),
                     str(outcomes.count("wrong")), fmt(r.total), str(r.maximum)])
    return _csv(rows)


def breakdown(results: list[Result]) -> bytes:
    """Every answer of every present student, with the key and the misconception it shows."""
    rows = [["student_id", "question", "problem_id", "type", "marks", "response", "key", "outcome", "score",
             "misconception"]]
    for r in results:
        if not r.present:
            continue
        for m in r.marks:
            item = m.item
            key = ",".join(sorted(item.correct)) if item.letters else interval_text(*item.interval)
            score = "" if m.outcome == "blank" else fmt(m.score)
            rows.append([r.student_id, f"Q{item.number}", item.problem_id, item.type, str(item.marks), m.response,
                         key, m.outcome, score, ";".join(m.misconceptions)])
    return _csv(rows)


def interval_text(lo: float, hi: float) -> str:
    """A NAT range as "0.068..0.088": its ends rounded to about a hundredth of its width, trailing
    zeros dropped (the exact ends are in manifest.json)."""
    width = hi - lo
    decimals = max(0, 2 - math.floor(math.log10(width))) if width > 0 else 6
    return "..".join(_plain(f"{end:.{decimals}f}") for end in (lo, hi))


def _plain(text: str) -> str:
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text == "-0" else text
