"""`gengrade release OUT`: the student handout.

It holds the stubs and task statements, each exercise's probes (without their comments and
docstrings, which explain the hidden checks: `bare_source`) and public checks (cut from its
suite by `public_suite`) with the mistakes those can name, the whole problem bank (its
keys drive `answer` and `practice`), and the `gengrade` package with what `pip install -e .`
needs. Never a reference solution, a hidden check, or the hints of the hidden checks'
mistakes. `release.json` marks the folder as a release (see `manifest`).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

from grader import course
from grader.atomic import staged_folder
from grader.check import progress
from grader.check.misconceptions import load_misconceptions
from grader.errors import GraderError, UsageError
from grader.release import manifest
from grader.release.advice import misconceptions_toml, public_mistakes, quotes_reference
from grader.release.bare_source import bare
from grader.release.manifest import HiddenPart
from grader.release.public_suite import public_suite
from grader.release.tree import Tree, base_tree, package_dir

README = Path(__file__).with_name("student_readme.md")


@dataclass(frozen=True)
class Release:
    out: Path
    files: int
    hidden: dict[str, HiddenPart]


def build_release(out: Path, force: bool = False, notebooks: bool = False, install_url: str | None = None) -> Release:
    """Write the student release of the course into `out` (atomically; see grader.atomic), with one
    notebook per exercise when asked (grader.notebook.handout)."""
    _refuse_target(out)
    tree, hidden = release_tree(course.all_exercises())
    if notebooks:
        from grader.notebook.handout import notebook_tree

        tree.update(notebook_tree(course.all_exercises(), install_url))
    with staged_folder(out, force) as stage:
        for name, data in tree.items():
            path = stage / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return Release(out, len(tree), hidden)


def release_tree(exercises: list[course.Exercise]) -> tuple[Tree, dict[str, HiddenPart]]:
    manifest.refuse_in_release("a release")
    tree = base_tree(exercises)
    tree["solutions/__init__.py"] = b'"""The exercises\' public checks (a release holds no solutions)."""\n'
    hidden = {}
    for exercise in exercises:
        files, hidden[exercise.id] = public_files(exercise)
        tree.update({f"solutions/{exercise.id}/{name}": data for name, data in files.items()})
    tree["README.md"] = student_readme(exercises, hidden).encode()
    tree[manifest.NAME] = manifest.manifest_text(hidden).encode()
    return tree, hidden


def public_files(exercise: course.Exercise) -> tuple[Tree, HiddenPart]:
    """An exercise's shipped suite folder: probes, public checks, the mistakes they name."""
    _require_stub(exercise)
    suite = public_suite(exercise.tests_path, f"Public checks of exercise {exercise.id}, {exercise.title}, cut from its "
                         "full suite by `gengrade release`.\n\nThe hidden checks run when your work is graded.")
    total = sum(c.points for c in suite.checks)
    if total != exercise.points:
        raise GraderError(f"{exercise.tests_path}: its checks are worth {total} points but "
                          f"exercises/{exercise.id}/exercise.toml says {exercise.points}; make them agree")
    probes = exercise.probes_path.read_text(encoding="utf-8")
    known = load_misconceptions(exercise.solution_dir / "misconceptions.toml")
    named = public_mistakes(suite.text, probes, set(known))
    reference = exercise.reference_path.read_text(encoding="utf-8")
    stub = (exercise.stub_dir / exercise.file).read_text(encoding="utf-8")
    advice = [m for key, m in known.items() if key in named and not quotes_reference(m, reference, stub)]
    files = {
        "__init__.py": f'"""Exercise {exercise.id}: probes and public checks."""\n'.encode(),
        "probes.py": bare(probes, f"Probes of exercise {exercise.id}: they build inputs from the run's seed, call "
                          "your function and record what it returns.").encode(),
        exercise.tests_path.name: suite.text.encode(),
        "misconceptions.toml": misconceptions_toml(advice).encode(),
    }
    hidden = suite.hidden
    return files, HiddenPart(len(hidden), sum(c.points for c in hidden), exercise.points)


def student_readme(exercises: list[course.Exercise], hidden: dict[str, HiddenPart]) -> str:
    rows = [f"| {e.id} | {e.title}: `{e.function}` | `exercises/{e.id}/{e.file}` | {e.points} "
            f"({e.points - hidden[e.id].points} public) |" for e in exercises]
    return string.Template(README.read_text(encoding="utf-8")).substitute(exercise_rows="\n".join(rows))


def _require_stub(exercise: course.Exercise) -> None:
    """A stub someone solved in place must not go out as the handout."""
    stub = exercise.stub_dir / exercise.file
    if progress.local_status(stub, exercise.function) != "not started":
        raise UsageError(f"{stub}: not the stub any more ({exercise.function} does more than raise "
                         "NotImplementedError); restore it (git checkout) before building a release")


def _refuse_target(out: Path) -> None:
    """OUT must be new, empty or an earlier release, and outside the course's own folders."""
    target = out.resolve()
    root = course.course_root()
    for folder in (package_dir(), root / "exercises", root / "solutions", root / "problem_bank"):
        if target == folder or folder in target.parents:
            raise UsageError(f"{out}: inside the course's {folder.name}/ folder; choose a folder outside it")
    if target.is_dir() and any(target.iterdir()) and not (target / manifest.NAME).is_file():
        raise UsageError(f"{out}: holds other files and no earlier release; choose a new or empty folder")
