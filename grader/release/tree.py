"""The files every shipped copy of the course starts from, read into memory.

A shipped tree is a mapping of relative paths to bytes: the release writes it into a
folder, the Gradescope export into a zip. Both carry the `grader` package (less caches and
a wheel's bundled `_course`, which holds the full solutions), the project files that let
`pip install -e .` work, the exercises they are given, the pytest hooks of the suites (they
register the `points` and `public` markers), and the problem bank: the release's self-study
needs it, and pyproject's wheel build includes it, so an install of the autograder does too.
"""

from __future__ import annotations

from pathlib import Path

import grader
from grader import course
from grader.errors import UsageError

Tree = dict[str, bytes]
PROJECT_FILES = ("pyproject.toml", "constraints.txt")
SKIPPED_DIRS = {"__pycache__", "_course"}


def package_dir() -> Path:
    return Path(grader.__file__).resolve().parent


def project_dir() -> Path:
    """The clone the package sits in: shipping needs its pyproject.toml and constraints.txt."""
    project = package_dir().parent
    missing = [name for name in PROJECT_FILES if not (project / name).is_file()]
    if missing:
        raise UsageError(f"{project}: no {', '.join(missing)} beside the grader package; build handouts from a "
                         "clone of the project installed with `pip install -e .`")
    return project


def files_under(folder: Path, prefix: str) -> Tree:
    """Every regular file under `folder` as `prefix/relative path`, skipping caches and dot-files."""
    tree = {}
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if any(p in SKIPPED_DIRS or p.startswith(".") for p in parts) or path.suffix == ".pyc":
            continue
        if path.is_file() and not path.is_symlink():
            tree[f"{prefix}/{'/'.join(parts)}"] = path.read_bytes()
    return tree


def base_tree(exercises: list[course.Exercise]) -> Tree:
    """The package, the project files, the given exercises' folders and the suites' pytest hooks."""
    project = project_dir()
    tree = files_under(package_dir(), "grader")
    tree.update({name: (project / name).read_bytes() for name in PROJECT_FILES})
    for exercise in exercises:
        tree.update(files_under(exercise.stub_dir, f"exercises/{exercise.id}"))
    tree["solutions/conftest.py"] = (course.course_root() / "solutions" / "conftest.py").read_bytes()
    tree.update(files_under(course.course_root() / "problem_bank", "problem_bank"))
    return tree
