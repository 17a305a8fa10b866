"""Where the course lives (exercises, solutions, problem bank) and what an exercise is."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from grader.errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

METADATA = "exercise.toml"
REQUIRED = {"id": str, "title": str, "file": str, "function": str, "points": int}


@lru_cache(maxsize=1)
def course_root() -> Path:
    """$GENGRADE_HOME, else the clone this package sits in, else the copy bundled in the wheel."""
    if os.environ.get("GENGRADE_HOME"):
        return Path(os.environ["GENGRADE_HOME"]).resolve()
    package = Path(__file__).resolve().parent
    for candidate in (package.parent, package / "_course"):
        if (candidate / "exercises").is_dir() and (candidate / "solutions").is_dir():
            return candidate
    raise UsageError("cannot find the course folders (exercises/, solutions/): "
                     "set GENGRADE_HOME to the folder that holds them")


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    file: str
    function: str
    points: int
    timeout_s: float
    topic: str
    soak_runs: int = 20  # fresh-seed runs of each correct file in the test suite's soak (a training suite runs fewer)

    @property
    def stub_dir(self) -> Path:
        return course_root() / "exercises" / self.id

    @property
    def solution_dir(self) -> Path:
        return course_root() / "solutions" / self.id

    @property
    def probes_path(self) -> Path:
        """The suite's student side: the only suite code the sandbox loads."""
        return self.solution_dir / "probes.py"

    @property
    def tests_path(self) -> Path:
        """The suite's pytest module, run only in the grader's process."""
        return self.solution_dir / f"test_{self.id}.py"

    @property
    def reference_path(self) -> Path:
        return self.solution_dir / self.file


def read_metadata(path: Path) -> Exercise:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML ({exc}); restore it from the handout") from None
    for key, kind in REQUIRED.items():
        if not isinstance(data.get(key), kind):
            raise UsageError(f"{path}: `{key}` must be a {kind.__name__}; restore it from the handout")
    return Exercise(data["id"], data["title"], data["file"], data["function"], data["points"],
                    float(data.get("timeout_s", 60)), str(data.get("topic", "")), int(data.get("soak_runs", 20)))


def _natural(name: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name))


def all_exercises() -> list[Exercise]:
    folders = sorted((course_root() / "exercises").glob(f"*/{METADATA}"), key=lambda p: _natural(p.parent.name))
    return [read_metadata(p) for p in folders]


def exercise_by_id(exercise_id: str) -> Exercise:
    path = course_root() / "exercises" / exercise_id / METADATA
    if not path.is_file():
        known = ", ".join(e.id for e in all_exercises())
        raise UsageError(f"unknown exercise id {exercise_id!r} (known: {known})")
    return read_metadata(path)


def locate(target: Path) -> tuple[Exercise, Path]:
    """The exercise a student's folder (or file in it) belongs to, and the file to grade."""
    folder = target.parent if target.is_file() else target
    if not folder.is_dir():
        raise UsageError(f"{target}: no such folder")
    meta = folder / METADATA
    if not meta.is_file():
        raise UsageError(f"{folder}: not an exercise folder (no {METADATA}); "
                         "pass the folder that holds your stub, e.g. exercises/c1")
    exercise = exercise_by_id(read_metadata(meta).id)
    submission = folder / exercise.file
    if not submission.is_file():
        raise UsageError(f"{folder}: {exercise.file} is missing; copy it back from the handout")
    return exercise, submission
