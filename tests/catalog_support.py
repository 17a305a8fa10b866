"""The catalog of known-wrong (mutants) and correct submissions, graded once per session."""

from __future__ import annotations

import ast
import os
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from grader.check import api
from grader import course
from grader.check.models import Report

CATALOG = Path(__file__).parent / "catalog"


def mistake_of(path: Path) -> str:
    """The misconception id a mutant file declares in `MISTAKE = "..."`."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "MISTAKE":
            return ast.literal_eval(node.value)
    raise AssertionError(f"{path} declares no MISTAKE")


def catalog_files(kind: str) -> list[Path]:
    return sorted(CATALOG.glob(f"c*/{kind}/*.py"))


def submissions(exercise: course.Exercise) -> dict[str, Path]:
    """One exercise's files to grade, keyed by a readable id: reference, stub, catalog."""
    jobs = {f"{exercise.id}/reference": exercise.reference_path,
            f"{exercise.id}/stub": exercise.stub_dir / exercise.file}
    for path in sorted((CATALOG / exercise.id).glob("*/*.py")):
        jobs[f"{exercise.id}/{path.parent.name}/{path.stem}"] = path
    return jobs


class Gradebook:
    """Grades an exercise's submissions in parallel the first time one of them is asked for."""

    def __init__(self, workers: int = 2):
        self.workers = workers
        self.reports: dict[str, Report] = {}

    def __getitem__(self, key: str) -> Report:
        if key not in self.reports:
            exercise = course.exercise_by_id(key.split("/")[0])
            jobs = submissions(exercise)
            with ThreadPoolExecutor(self.workers) as pool:
                reports = pool.map(lambda job: api.check_submission(exercise, job[1], seed=catalog_seed(job[0])),
                                   jobs.items())
                self.reports.update(zip(jobs, reports))
        return self.reports[key]


def catalog_seed(key: str) -> int:
    """The seed a catalog file is graded with: fixed per file, so a test run is repeatable and its
    failures reproduce. GENGRADE_CATALOG_SEED=N draws another set; scripts/soak_mutants.py and
    scripts/soak_correct.py grade under many fresh seeds, and a seed found wanting is pinned in
    test_exercises.PINNED_SEEDS."""
    return zlib.crc32(f"{os.environ.get('GENGRADE_CATALOG_SEED', '0')}:{key}".encode())
