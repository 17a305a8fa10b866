"""Check a notebook as a stub file is checked: extract its code (grader.notebook.extract), run the
same sandboxed check on it, and name the notebook's cells in the report."""

from __future__ import annotations

import re
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from grader import course
from grader.check.models import Report
from grader.errors import UsageError
from grader.notebook.extract import Extracted, code_cells, exercise_of, extract, read_cells, relocate


def solved_by(cells: list[tuple[int, str]], metadata: dict, exercises: list[course.Exercise]) -> list[course.Exercise]:
    """The exercises a notebook is for: the one its metadata names, else those whose function it defines."""
    named = exercise_of(metadata)
    if named:
        return [e for e in exercises if e.id == named]
    code = "\n".join(source for _, source in cells)
    return [e for e in exercises if re.search(rf"^\s*def\s+{re.escape(e.function)}\s*\(", code, re.M)]


def exercise_for(cells: list[tuple[int, str]], metadata: dict, named: str | None) -> course.Exercise:
    """The exercise given, else the one the notebook's metadata names, else the one exercise whose
    function the notebook defines."""
    if named or exercise_of(metadata):
        return course.exercise_by_id(named or exercise_of(metadata))
    found = solved_by(cells, metadata, course.all_exercises())
    if len(found) != 1:
        which = ", ".join(f"{e.id} ({e.function})" for e in found) or "none of the exercises' functions"
        raise UsageError(f"cannot tell which exercise this notebook is (it defines {which}): "
                         "pass --exercise cN")
    return found[0]


def prepare(path: Path, exercise_id: str | None = None) -> tuple[course.Exercise, Extracted]:
    """The exercise a notebook is checked as, and the code taken from it."""
    cells, metadata = read_cells(path)
    kept = code_cells(cells)
    exercise = exercise_for(kept, metadata, exercise_id)
    return exercise, extract(kept, exercise.function)


def check_notebook(path: Path, exercise_id: str | None = None, **options: Any) -> Report:
    """The report of `check` on the notebook's code, every line it names a cell's."""
    from grader.check import api

    exercise, extracted = prepare(path, exercise_id)
    with tempfile.TemporaryDirectory(prefix="gengrade-notebook-") as folder:
        file = Path(folder) / exercise.file
        file.write_text(extracted.source, encoding="utf-8")
        report = api.check_submission(exercise, file, **options)
    return in_cells(report, extracted, exercise.file, path)


def in_cells(report: Report, extracted: Extracted, generated: str, notebook: Path) -> Report:
    def moved(text: str) -> str:
        return relocate(text, extracted, generated, notebook.name)
    return replace(report, submission=str(notebook), headline=moved(report.headline),
                   checks=tuple(replace(c, message=moved(c.message)) for c in report.checks))
