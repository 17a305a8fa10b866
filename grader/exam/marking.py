"""GATE marking of response sheets against a manifest.

MCQ: +marks when right; a wrong answer costs a third of its marks (-1/3 for a one-mark,
-2/3 for a two-mark question). MSQ: +marks only for exactly the correct set, never
negative. NAT: +marks when the number lies inside the key's range, ends included, never
negative. Blank is 0. Scores are exact fractions; they are rounded only when printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from grader.errors import UsageError
from grader.exam.manifest import Entry, Item
from grader.exam.roster import Sheet, raise_all, read_csv, unique_ids
from grader.bank.reading import read_letters, read_number

_QCOLUMN = re.compile(r"[Qq](\d+)")
KINDS = {"nat": "numerical answer", "mcq": "one option", "msq": "one or more options"}


@dataclass(frozen=True)
class Mark:
    item: Item
    response: str  # as normalised: "", "B", "A,C", "0.68"
    chosen: tuple[str, ...]  # letters picked (mcq/msq)
    outcome: str  # "right", "wrong" or "blank"
    score: Fraction
    misconceptions: tuple[str, ...] = ()  # mistakes the wrong answer matches (distractors, NAT values)


@dataclass(frozen=True)
class Result:
    student_id: str
    name: str
    present: bool  # False: on the manifest but not on the response sheet
    marks: tuple[Mark, ...]

    @property
    def total(self) -> Fraction:
        return sum((m.score for m in self.marks), Fraction(0))

    @property
    def maximum(self) -> int:
        return sum(m.item.marks for m in self.marks)


def score(item: Item, response: str, chosen: tuple[str, ...], value: float | None) -> Mark:
    """Apply the GATE rule of the item's type to one parsed response."""
    if not response:
        return Mark(item, "", (), "blank", Fraction(0))
    if item.type == "nat":
        lo, hi = item.interval
        right = lo <= value <= hi
        mistakes = () if right else tuple(m for m, a, b in item.distractors if a <= value <= b)
    else:
        right = chosen[0] in item.correct if item.type == "mcq" else frozenset(chosen) == item.correct
        mistakes = tuple(sorted({item.misconceptions.get(x) or "" for x in chosen if x not in item.correct} - {""}))
    if right:
        return Mark(item, response, chosen, "right", Fraction(item.marks))
    penalty = -Fraction(item.marks, 3) if item.type == "mcq" else Fraction(0)
    return Mark(item, response, chosen, "wrong", penalty, mistakes)


def parse(item: Item, cell: str, where: str) -> tuple[str, tuple[str, ...], float | None]:
    """A sheet cell read for its question type: (normalised text, letters, number).

    The same readers as `gengrade answer`: letters as in "A,C" or "{a, c}"; numbers as in
    0.68, 17/25, 68% or sqrt(0.46)."""
    cell = cell.strip()
    if not cell:
        return "", (), None
    if item.type not in ("nat", "mcq", "msq"):
        raise UsageError(f"{where}: Q{item.number} is a {item.type} question, which response sheets cannot answer")
    try:
        if item.type == "nat":
            return cell, (), read_number(cell).value
        letters = read_letters(cell, len(item.letters), single=item.type == "mcq")
    except UsageError as exc:
        raise UsageError(f"{where}: Q{item.number} ({KINDS[item.type]}): {exc}") from None
    if letters is None:
        raise UsageError(f"{where}: Q{item.number} ({KINDS[item.type]}): {cell!r} is not among the options "
                         f"{', '.join(item.letters)}; answer with letters")
    return ",".join(sorted(letters)), tuple(sorted(letters)), None


def mark_sheet(path: Path, entries: list[Entry]) -> list[Result]:
    """Mark every row of a responses CSV; students without a row are marked absent. Every bad row
    and cell is reported in one UsageError, not only the first."""
    sheet = read_csv(path, ("student_id",))
    unique_ids(sheet)
    columns = _question_columns(sheet, entries)
    papers = {e.student_id: e for e in entries}
    answered: dict[str, Result] = {}
    bad: list[str] = []
    for row, cells in sheet.rows:
        sid = cells["student_id"]
        if sid not in papers:
            bad.append(f"{path}: row {row}: student_id {sid!r} has no paper in the manifest")
            continue
        answered[sid] = _mark_row(papers[sid], cells, columns, f"{path}: row {row}", bad)
    raise_all(bad)
    return [answered.get(e.student_id) or Result(e.student_id, e.name, False,
                                                  tuple(score(i, "", (), None) for i in e.items))
            for e in entries]


def _question_columns(sheet: Sheet, entries: list[Entry]) -> dict[int, str]:
    """Question number -> column name; refuses unknown and missing question columns."""
    longest = max((len(e.items) for e in entries), default=0)
    columns = {}
    for name in sheet.columns:
        match = _QCOLUMN.fullmatch(name)
        if match:
            number = int(match.group(1))
            if not 1 <= number <= longest:
                raise UsageError(f"{sheet.path}: row 1: unknown question column {name!r}; the papers have "
                                 f"questions Q1 to Q{longest}")
            columns[number] = name
    missing = [f"Q{n}" for n in range(1, longest + 1) if n not in columns]
    if missing:
        raise UsageError(f"{sheet.path}: row 1: missing column {missing[0]} (one column per question, "
                         "blank meaning not attempted)")
    return columns


def _mark_row(entry: Entry, cells: dict[str, str], columns: dict[int, str], where: str, bad: list[str]) -> Result:
    """One student's marks; what cannot be read is added to `bad` (and scored blank meanwhile)."""
    marks = []
    for item in entry.items:
        try:
            response, chosen, value = parse(item, cells[columns[item.number]], where)
        except UsageError as exc:
            bad.append(str(exc))
            response, chosen, value = "", (), None
        marks.append(score(item, response, chosen, value))
    extra = [n for n in columns if n > len(entry.items) and cells[columns[n]]]
    if extra:
        bad.append(f"{where}: Q{extra[0]} is answered but {entry.student_id}'s paper has "
                   f"{len(entry.items)} questions")
    return Result(entry.student_id, entry.name, True, tuple(marks))
