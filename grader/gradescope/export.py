"""`gengrade export gradescope OUT.zip`: an autograder as Gradescope expects it.

At the zip's root, setup.sh (installs Python, the CPU build of torch and gengrade) and
run_autograder (grades each submission); under gengrade/, the course the run needs: the
grader package, the chosen exercises and their full suites (probes, hidden checks,
misconceptions), and the project files `pip install -e` needs. No reference solution: grading
never reads one, and a submission runs in the same container.
"""

from __future__ import annotations

import ast
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from grader import course
from grader.atomic import write_file
from grader.errors import UsageError
from grader.release import manifest
from grader.release.tree import Tree, base_tree, project_dir

HERE = Path(__file__).resolve().parent
SCRIPTS = ("setup.sh", "run_autograder")
SUITE_FILES = ("__init__.py", "probes.py", "misconceptions.toml")
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the same course gives the same zip, byte for byte


@dataclass(frozen=True)
class Autograder:
    out: Path
    exercises: list[str]
    files: list[str]
    points: int


def build_autograder(out: Path, ids: list[str] | None = None, force: bool = False) -> Autograder:
    """Write the autograder zip for the exercises `ids` (default: all) to `out`."""
    if out.suffix.lower() != ".zip":
        raise UsageError(f"{out}: Gradescope takes a .zip; name the output OUT.zip")
    if out.exists() and not force:
        raise UsageError(f"{out}: already exists; pass --force to replace it, or choose another name")
    manifest.refuse_in_release("an autograder")
    exercises = _chosen(ids)
    tree = {f"gengrade/{name}": data for name, data in autograder_tree(exercises).items()}
    tree.update({name: (HERE / name).read_bytes() for name in SCRIPTS})
    write_file(out, zip_bytes(tree), replace=force)
    return Autograder(out, [e.id for e in exercises], [e.file for e in exercises], sum(e.points for e in exercises))


def autograder_tree(exercises: list[course.Exercise]) -> Tree:
    tree = base_tree(exercises)
    tree["README.md"] = (project_dir() / "README.md").read_bytes()  # pyproject's readme
    tree["solutions/__init__.py"] = (course.course_root() / "solutions" / "__init__.py").read_bytes()
    for exercise in exercises:
        for name in suite_files(exercise):
            tree[f"solutions/{exercise.id}/{name}"] = (exercise.solution_dir / name).read_bytes()
    return tree


def suite_files(exercise: course.Exercise) -> list[str]:
    """The files of solutions/cN/ that grading reads: never the reference."""
    tests = exercise.tests_path
    siblings = {f"{node.module.split('.')[0]}.py" for node in ast.walk(ast.parse(tests.read_text(encoding="utf-8")))
                if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module}
    if exercise.file in siblings:
        raise UsageError(f"{tests}: imports the reference solution {exercise.file}, which an autograder does not "
                         "ship; compute expectations independently of it")
    return sorted({*SUITE_FILES, tests.name, *siblings})


def zip_bytes(tree: Tree) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(tree):
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.external_attr = (0o100755 if name in SCRIPTS else 0o100644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, tree[name])
    return buffer.getvalue()


def _chosen(ids: list[str] | None) -> list[course.Exercise]:
    if not ids:
        return course.all_exercises()
    wanted = [i.strip() for i in ids if i.strip()]
    if not wanted or len(set(wanted)) != len(wanted):
        raise UsageError(f"--exercises {','.join(ids)}: name each exercise once, e.g. --exercises c1,c3")
    return [course.exercise_by_id(i) for i in wanted]
