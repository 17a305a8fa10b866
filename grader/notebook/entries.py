"""Notebooks in a class's submissions (`gengrade grade`, the Gradescope autograder): each .ipynb
solves the exercise its metadata names, or those whose function it defines; its code is taken
by grader.notebook.extract's rule and graded as that exercise's stub file. A stub .py file of
the same exercise in the same entry wins over a notebook."""

from __future__ import annotations

import json

from grader.course import Exercise
from grader.notebook.extract import Extracted, code_cells, extract, relocate
from grader.notebook.route import solved_by

MAX_NOTEBOOK_BYTES = 16 << 20  # outputs (plots) make notebooks larger than stub files

Origin = tuple[str, tuple[tuple[int, int], ...]]  # the notebook's name, and each generated line's (cell, line)


def from_notebooks(notebooks: dict[str, bytes], exercises: list[Exercise]) -> tuple[dict[str, bytes], dict[str, Origin], dict[str, str]]:
    """(exercise id -> source to grade, -> where its lines came from, -> why it cannot be graded)."""
    files: dict[str, bytes] = {}
    origins: dict[str, Origin] = {}
    problems: dict[str, str] = {}
    owners: dict[str, list[str]] = {}
    for name, content in sorted(notebooks.items()):
        try:
            notebook = json.loads(content.decode("utf-8"))
            cells = code_cells(notebook.get("cells", []))
            metadata = notebook.get("metadata", {}) if isinstance(notebook.get("metadata"), dict) else {}
        except (ValueError, AttributeError, TypeError):
            continue  # not a notebook we can read: it may be anything; stub files decide then
        for exercise in solved_by(cells, metadata, exercises):
            owners.setdefault(exercise.id, []).append(name)
            extracted = extract(cells, exercise.function)
            files[exercise.id] = extracted.source.encode("utf-8")
            origins[exercise.id] = (name.rsplit("/", 1)[-1], tuple(extracted.origin))
    for exercise_id, names in owners.items():
        if len(names) > 1:
            problems[exercise_id] = f"{len(names)} notebooks solve {exercise_id} ({', '.join(names[:3])}): keep one"
            files.pop(exercise_id)
            origins.pop(exercise_id)
    return files, origins, problems


def in_cells(report: dict, origin: Origin, generated: str) -> dict:
    """A report (as JSON) on code taken from a notebook, its lines named as the notebook's cells."""
    name, lines = origin
    extracted = Extracted(origin=[tuple(line) for line in lines])

    def moved(text: str) -> str:
        return relocate(text, extracted, generated, name)
    return {**report, "submission": name, "headline": moved(report.get("headline", "")),
            "checks": [{**c, "message": moved(c.get("message", ""))} for c in report["checks"]]}
