"""The catalog of known-wrong (mutants) and correct submissions, graded once per session."""

from __future__ import annotations

import ast
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from grader import api, course
from grader.models import Report

CATALOG = Path(__file__).parent / "catalog"


def mistake_of(path: Path) -> str:
    """The misconception id a mutant file declares in `MISTAKE = "..."`."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "MISTAKE":
            return ast.literal_eval(node.value)
    raise AssertionError(f"{path} declares no MISTAKE")


def catalog_files(kind: str) -> list[Path]:
    return sorted(CATALOG.glob(f"c*/{kind}/*.py"))


def submissions() -> dict[str, tuple[course.Exercise, Path]]:
    """Every file to grade, keyed by a readable id: reference, stub, mutants, correct variants."""
    jobs = {}
    for exercise in course.all_exercises():
        jobs[f"{exercise.id}/reference"] = (exercise, exercise.reference_path)
        jobs[f"{exercise.id}/stub"] = (exercise, exercise.stub_dir / exercise.file)
    for path in catalog_files("mutants") + catalog_files("correct"):
        exercise = course.exercise_by_id(path.parent.parent.name)
        jobs[f"{exercise.id}/{path.parent.name}/{path.stem}"] = (exercise, path)
    return jobs


def grade_all(jobs: dict[str, tuple[course.Exercise, Path]], workers: int = 2) -> dict[str, Report]:
    def grade(item):
        key, (exercise, path) = item
        return key, api.check_submission(exercise, path)

    with ThreadPoolExecutor(workers) as pool:
        return dict(pool.map(grade, jobs.items()))
