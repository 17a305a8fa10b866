"""`manifest.json`: every paper's every question, enough to mark and to rebuild the exam.

Written with sorted keys, two-space indent and Python's shortest round-trip floats, so
the same exam gives the same bytes on every machine. Marking reads only this file (not
the bank), so papers stay markable even after the bank changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from grader import __version__
from grader.errors import UsageError
from grader.exam.paper import LETTERS, Paper, Question

FORMAT = "gengrade.manifest/1"


def question_record(q: Question) -> dict:
    """What the manifest keeps about one printed question."""
    v = q.variant
    record = {"number": q.number, "section": q.section, "problem_id": v.problem_id, "topic": v.topic,
              "type": v.type, "marks": v.marks, "seed": q.seed, "params": dict(v.params)}
    if v.options:
        record["option_order"] = list(q.order)
        record["options"] = [{"letter": LETTERS[pos], "bank_index": index, "correct": o.correct,
                              "misconception": o.misconception}
                             for pos, (index, o) in enumerate(zip(q.order, q.options))]
        record["answer"] = q.letters
    else:
        record["answer"] = v.answer if v.type == "nat" else v.answer_exact
        record["answer_exact"] = v.answer_exact
        if v.type == "nat":
            record["interval"] = list(v.interval or (v.answer, v.answer))
            record["distractors"] = [{"misconception": d.misconception, "interval": list(d.interval)}
                                     for d in v.distractors if d.interval is not None]
    return record


def paper_record(paper: Paper, files: dict[str, str]) -> dict:
    """One paper's manifest entry: who, which files, and every question."""
    return {"student_id": paper.student_id, "name": paper.name, "files": files,
            "questions": [question_record(q) for q in paper.questions]}


def dump(header: dict, papers: list[dict]) -> bytes:
    """The manifest's bytes: header fields (title, blueprint, seed, sections) plus the papers."""
    data = {"format": FORMAT, "generator": f"gengrade {__version__}", **header, "papers": papers}
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Item:
    """One question of one paper, as marking needs it."""

    number: int
    problem_id: str
    type: str
    marks: int
    letters: tuple[str, ...]  # options as printed (mcq/msq)
    correct: frozenset[str]  # correct letters (mcq/msq)
    misconceptions: dict  # printed letter -> misconception id or None
    bank_letters: dict  # printed letter -> the option's letter in bank order
    interval: tuple[float, float] | None  # nat
    distractors: tuple[tuple[str, float, float], ...] = ()  # nat: (misconception, lo, hi) of known wrong values


@dataclass(frozen=True)
class Entry:
    student_id: str
    name: str
    items: tuple[Item, ...]


def load(path: Path) -> tuple[dict, list[Entry]]:
    """Read a manifest for marking; a damaged file is named with the paper that breaks it."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path}: not a gengrade manifest ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UsageError(f"{path}: not a gengrade manifest (expected \"format\": \"{FORMAT}\")")
    entries = []
    for index, paper in enumerate(data.get("papers", [])):
        try:
            entries.append(Entry(paper["student_id"], paper.get("name", ""),
                                 tuple(_item(q) for q in paper["questions"])))
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise UsageError(f"{path}: papers[{index}] is damaged ({type(exc).__name__}: {exc})") from None
    return data, entries


def _item(q: dict) -> Item:
    options = q.get("options", [])
    letters = tuple(o["letter"] for o in options)
    interval = tuple(float(x) for x in q["interval"]) if q["type"] == "nat" else None
    return Item(int(q["number"]), str(q["problem_id"]), str(q["type"]), int(q["marks"]), letters,
                frozenset(o["letter"] for o in options if o["correct"]),
                {o["letter"]: o.get("misconception") for o in options},
                {o["letter"]: LETTERS[int(o["bank_index"])] for o in options}, interval,
                tuple((str(d["misconception"]), float(d["interval"][0]), float(d["interval"][1]))
                      for d in q.get("distractors", [])))
