"""Item analysis of a marked exam: how hard each problem was, whether it told strong from
weak students, which distractors (and so which misconceptions) drew answers, and a score
histogram drawn as inline SVG (no plotting library, no files beside the report).

Items are problems, not printed numbers: question order differs per paper, so answers
are pooled by problem id. Only students present on the response sheet count.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from grader.exam.manifest import Item
from grader.exam.marking import Mark, Result

GROUP_FRACTION = 0.27  # Kelley's upper and lower 27% groups


@dataclass(frozen=True)
class ItemStats:
    problem_id: str
    type: str
    marks: int
    n: int  # students who saw it
    right: int
    blank: int
    facility: float  # fraction right
    discrimination: float | None  # p(upper) - p(lower); None when fewer than two students
    options: tuple[tuple[str, bool, str, int], ...]  # (bank letter, correct, misconception id, times chosen)


def analyse(results: list[Result]) -> tuple[list[ItemStats], Counter]:
    """Per-item statistics in first-seen order, and how often each misconception was chosen."""
    present = [r for r in results if r.present]
    upper, lower = _groups(present)
    by_item: dict[str, list[tuple[str, Mark]]] = {}
    for r in present:
        for m in r.marks:
            by_item.setdefault(m.item.problem_id, []).append((r.student_id, m))
    stats = [_item_stats(pid, marks, upper, lower) for pid, marks in by_item.items()]
    misconceptions: Counter = Counter()
    for item in stats:
        for _, correct, misconception, count in item.options:
            if misconception and not correct and count:
                misconceptions[misconception] += count
    return stats, misconceptions


def _groups(present: list[Result]) -> tuple[set[str], set[str]]:
    """Top and bottom 27% by total (ties broken by student id, for a stable report)."""
    ranked = sorted(present, key=lambda r: (-r.total, r.student_id))
    size = max(1, round(GROUP_FRACTION * len(ranked))) if len(ranked) >= 2 else 0
    return {r.student_id for r in ranked[:size]}, {r.student_id for r in ranked[len(ranked) - size:]} if size else set()


def _item_stats(pid: str, marks: list[tuple[str, Mark]], upper: set[str], lower: set[str]) -> ItemStats:
    item = marks[0][1].item
    right = [sid for sid, m in marks if m.outcome == "right"]
    discrimination = None
    if upper and lower:
        discrimination = (sum(s in upper for s in right) - sum(s in lower for s in right)) / len(upper)
    blank = sum(m.outcome == "blank" for _, m in marks)
    return ItemStats(pid, item.type, item.marks, len(marks), len(right), blank, len(right) / len(marks),
                     discrimination, _choices(item, [m for _, m in marks]))


def _choices(item: Item, marks: list[Mark]) -> tuple:
    """Options in bank order with how often each was picked; NAT: each known wrong value's count."""
    if not item.letters:
        hits = Counter(x for m in marks for x in m.misconceptions)
        names = dict.fromkeys(name for m in marks for name, _, _ in m.item.distractors)
        return tuple(("", False, name, hits[name]) for name in names)
    chosen = Counter(m.item.bank_letters[x] for m in marks for x in m.chosen)
    by_bank = sorted(item.bank_letters, key=lambda printed: item.bank_letters[printed])
    return tuple((item.bank_letters[p], p in item.correct, item.misconceptions.get(p) or "",
                  chosen[item.bank_letters[p]]) for p in by_bank)


def histogram_svg(totals: list[Fraction], maximum: int, width: int = 640, height: int = 240) -> str:
    """A bar chart of total scores, from the lowest possible (negative marking) to the maximum."""
    low = math.floor(min([0, *totals]))
    span = max(1, maximum - low)
    step = max(1, math.ceil(span / 20))
    counts = [0] * (span // step + 1)  # bin i holds [low + i*step, low + (i+1)*step); the maximum fits the last
    for total in totals:
        counts[min(len(counts) - 1, int((total - low) // step))] += 1
    edges = [low + i * step for i in range(len(counts) + 1)]
    top = max(counts, default=0) or 1
    base = height - 40  # the x axis; 20 px above the tallest bar are left for its count
    bar_w, plot_h = (width - 60) / max(1, len(counts)), base - 20
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="Histogram of total scores">',
             f'<line x1="40" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#333"/>']
    for index, count in enumerate(counts):
        x, h = 40 + index * bar_w, plot_h * count / top
        parts.append(f'<rect x="{x + 1:.1f}" y="{base - h:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                     f'fill="#4a7ab5"><title>{edges[index]} to {edges[index + 1]}: {count}</title></rect>')
        if count:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{base - 4 - h:.1f}" font-size="11" '
                         f'text-anchor="middle">{count}</text>')
        parts.append(f'<text x="{x:.1f}" y="{base + 16}" font-size="11" text-anchor="middle">{edges[index]}</text>')
    parts.append(f'<text x="{width / 2:.0f}" y="{height - 6}" font-size="12" text-anchor="middle">total score</text>')
    parts.append("</svg>")
    return "".join(parts)


def report_context(title: str, results: list[Result]) -> dict:
    """Everything `item_analysis.html.j2` shows, formatted (numbers as fixed strings)."""
    from markupsafe import Markup

    from grader.exam.gradebook import fmt

    stats, misconceptions = analyse(results)
    present = [r for r in results if r.present]
    totals = sorted(r.total for r in present)
    maximum = max((r.maximum for r in results), default=0)
    middle = len(totals) // 2
    median = (totals[middle] if len(totals) % 2 else (totals[middle - 1] + totals[middle]) / 2) if totals else Fraction(0)
    return {
        "title": title, "students": len(results), "present": len(present), "maximum": maximum,
        "mean": fmt(sum(totals, Fraction(0)) / len(totals)) if totals else "-", "median": fmt(median),
        "lowest": fmt(totals[0]) if totals else "-", "highest": fmt(totals[-1]) if totals else "-",
        "histogram": Markup(histogram_svg(totals, maximum)),
        "items": [{"problem_id": s.problem_id, "type": s.type, "marks": s.marks, "n": s.n, "blank": s.blank,
                   "facility": f"{s.facility:.2f}",
                   "discrimination": "n/a" if s.discrimination is None else f"{s.discrimination:.2f}",
                   "options": [{"letter": letter, "correct": correct, "misconception": mis, "count": count}
                               for letter, correct, mis, count in s.options]} for s in stats],
        "misconceptions": sorted(misconceptions.items(), key=lambda kv: (-kv[1], kv[0])),
    }
