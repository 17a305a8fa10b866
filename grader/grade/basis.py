"""What produced a class-grading result, so a rerun can tell a current result from a stale one.

A result stands only while everything that made it is unchanged: the student's file, the
exercise's suite, the grader that judged it, the limits it ran under and the isolation that
held it. Any difference makes the result stale, and the first difference found names why.
"""

from __future__ import annotations

import hashlib
from dataclasses import astuple, dataclass
from functools import lru_cache
from pathlib import Path

import grader
from grader.course import Exercise

JUDGING = ("check", "sandbox")  # the grader's packages whose code decides a verdict


@dataclass(frozen=True)
class Basis:
    digest: str  # sha256 of the student's file
    suite: str  # sha256 of the exercise's suite (suite_hash)
    grader: str  # the grader's version and the hash of its judging code (grader_version)
    timeout_s: float
    memory_mb: int
    isolation: str  # the isolation kind: "bubblewrap", "landlock" or "none"


# Why a result is stale, in the order the parts are compared; None (a ledger written before a
# part was recorded) reads as another grader's result.
REASONS = {"digest": "file changed", "suite": "suite changed", "grader": "grader version",
           "timeout_s": "limits", "memory_mb": "limits", "isolation": "isolation"}
FORCED = "forced"


def stale(old: Basis, new: Basis) -> str | None:
    """Why the result recorded on `old` does not stand for `new` (None when it does)."""
    if old.digest != new.digest:
        return REASONS["digest"]
    if None in astuple(old):
        return REASONS["grader"]
    return next((REASONS[name] for name, a, b in zip(REASONS, astuple(old), astuple(new)) if a != b), None)


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def suite_hash(exercise: Exercise) -> str:
    """sha256 over exercise.toml and every file of the exercise's suite folder but the reference
    (probes, hidden checks, misconceptions and any module they import), names included."""
    files = [exercise.stub_dir / "exercise.toml"]
    files += [p for p in sorted(exercise.solution_dir.rglob("*"))
              if p.is_file() and p != exercise.reference_path and "__pycache__" not in p.parts]
    return _hash_files(files, exercise.solution_dir.parent)


@lru_cache(maxsize=1)
def grader_version() -> str:
    """The package version and a hash of the code that runs and judges a submission: an upgrade,
    or a fix to a check, reaches every graded file."""
    return f"{grader.__version__}+{judging_hash(Path(grader.__file__).parent)[:16]}"


def judging_hash(package: Path) -> str:
    """sha256 over the Python files of the package's JUDGING subpackages, names included."""
    return _hash_files(sorted(p for name in JUDGING for p in (package / name).rglob("*.py")), package)


def _hash_files(files: list[Path], root: Path) -> str:
    sha = hashlib.sha256()
    for path in files:
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
        data = path.read_bytes()
        sha.update(f"{name}\0{len(data)}\0".encode())
        sha.update(data)
    return sha.hexdigest()
