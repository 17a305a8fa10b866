"""`gengrade release`: the handout holds nothing of the references and hidden checks (judged
by content), and `gengrade check` works in it, installed into a fresh environment."""

import ast
import io
import json
import os
import shutil
import site
import subprocess
import sys
import time
import tokenize
from pathlib import Path

import pytest
import torch
from click.testing import CliRunner

from grader import course
from grader.check.misconceptions import load_misconceptions
from grader.cli import main
from grader.sandbox.child import load_module
from grader.sandbox.frames import encode_frame
from grader.sandbox.probing import probes_of

ROOT = course.course_root()
EXERCISES = course.all_exercises()
SHORT = 16  # shorter lines (`return mu`, `else:`) are shared by any two programs


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("handout") / "release"
    started = time.monotonic()
    result = CliRunner().invoke(main, ["release", str(out)])
    assert result.exit_code == 0, result.output
    print(f"release built in {time.monotonic() - started:.2f} s")
    return out


def release_files(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file()}


def lines(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines()}


def segment(source: str, node: ast.stmt) -> str:
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return "\n".join(source.splitlines()[first - 1:node.end_lineno])


def is_public_test(node: ast.stmt) -> bool:
    return isinstance(node, ast.FunctionDef) and node.name.startswith("test") and \
        any(ast.unparse(d) == "pytest.mark.public" for d in node.decorator_list)


def secret_lines() -> dict[str, str]:
    """Every line of the references, of the hidden test functions and of the suites' docstrings,
    less those that public material (stubs, statements, probes, public tests, shared helpers)
    also holds, and less the trivial ones."""
    secret, shown = {}, set()
    for path in (ROOT / "exercises").rglob("*"):
        if path.is_file():
            shown |= lines(path.read_text(encoding="utf-8"))
    for exercise in EXERCISES:
        probes = exercise.probes_path.read_text(encoding="utf-8")
        shown |= lines(probes) - commentary(probes)
        secret.update({line: f"{exercise.id} probes' comments and docstrings" for line in commentary(probes)})
        secret.update({line: f"{exercise.id} reference" for line in lines(exercise.reference_path.read_text())})
        source = exercise.tests_path.read_text(encoding="utf-8")
        body = ast.parse(source).body
        secret.update({line: f"{exercise.id} suite docstring" for line in lines(ast.get_docstring(ast.Module(body[:1], [])) or "")})
        for node in body[1:]:
            hidden = isinstance(node, ast.FunctionDef) and node.name.startswith("test") and not is_public_test(node)
            if hidden:
                secret.update({line: f"{exercise.id} {node.name}" for line in lines(segment(source, node))})
            else:
                shown |= lines(segment(source, node))
    public_text = "\n".join(shown)  # a fragment that public material holds inside a longer line is shown too
    return {line: where for line, where in secret.items() if len(line) >= SHORT and line not in public_text
            and not line.startswith(("#", "@pytest.mark."))}


def commentary(source: str) -> set[str]:
    """The text of a module's comments and docstrings (string statements), line by line."""
    found = {t.string.lstrip("#").strip() for t in tokenize.generate_tokens(io.StringIO(source).readline)
             if t.type == tokenize.COMMENT}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            found |= lines(node.value.value)
    return found


def test_nothing_of_the_references_or_hidden_checks_is_in_the_release(release):
    secrets = secret_lines()
    assert len(secrets) > 300  # the audit has something to find
    files = release_files(release)
    leaks = [f"{name}: {line!r} ({where})" for line, where in secrets.items()
             for name, text in files.items() if line in text]
    assert not leaks, "\n".join(leaks[:20])


def test_probes_ship_without_comments_or_docstrings_and_observe_exactly_the_same(release):
    for exercise in EXERCISES:
        shipped = (release / "solutions" / exercise.id / "probes.py").read_text()
        assert commentary(shipped) == lines(ast.get_docstring(ast.parse(shipped)))  # its one-line header only
        assert len(commentary(exercise.probes_path.read_text())) > 3  # the original had some to strip
        solution = getattr(load_module(exercise.reference_path, f"reference_{exercise.id}"), exercise.function)
        observed = []
        for name, path in (("full", exercise.probes_path), ("shipped", release / "solutions" / exercise.id / "probes.py")):
            probes = probes_of(load_module(path, f"probes_{exercise.id}_{name}"))
            observed.append([(probe, torch.manual_seed(i) and encode_frame(run(solution, 5)))
                             for i, (probe, run) in enumerate(probes.items())])
        assert observed[0] == observed[1] and observed[0], exercise.id


def test_no_hint_of_a_mistake_only_hidden_checks_can_name(release):
    text = "\n".join(release_files(release).values())
    helpers = (Path(course.__file__).parent / "check" / "expect.py").read_text()
    for exercise in EXERCISES:
        folder = release / "solutions" / exercise.id
        public = (folder / exercise.tests_path.name).read_text() + (folder / "probes.py").read_text() + helpers
        full = load_misconceptions(exercise.solution_dir / "misconceptions.toml")
        shipped = load_misconceptions(folder / "misconceptions.toml")
        for key, entry in full.items():
            if key in shipped:
                assert f'"{key}"' in public and shipped[key] == entry
            else:  # a withheld mistake's hint may still read like a shipped one's (same advice, other shape)
                assert entry.summary not in text, (exercise.id, key)
                assert entry.hint not in text or entry.hint in {e.hint for e in shipped.values()}, (exercise.id, key)
    assert set(load_misconceptions(release / "solutions/c1/misconceptions.toml")) == {"modifies-input", "no-return"}  # expect.unchanged; the shape check
    assert not any("hard-coded-device" in (release / "solutions" / e.id / "misconceptions.toml").read_text() for e in EXERCISES)


def test_layout_and_manifest(release):
    files = release_files(release)
    assert not [name for name in files if name.endswith(tuple(f"/{e.file}" for e in EXERCISES)) and name.startswith("solutions")]
    assert not [name for name in files if "__pycache__" in name or "_course" in name or name.endswith(".gengrade-last.json")]
    for name in ("pyproject.toml", "constraints.txt", "README.md", "grader/cli/__init__.py", "problem_bank/seed_chapter.yaml"):
        assert name in files
    manifest = json.loads(files["release.json"])["hidden"]
    for exercise in EXERCISES:
        tests = ast.parse(files[f"solutions/{exercise.id}/test_{exercise.id}.py"]).body
        public = [n for n in tests if isinstance(n, ast.FunctionDef) and n.name.startswith("test")]
        assert public and all(is_public_test(n) for n in public)
        assert manifest[exercise.id]["exercise_points"] == exercise.points > manifest[exercise.id]["points"] > 0
    assert "6 hidden checks" not in files["README.md"] and "| c1 |" in files["README.md"]


def test_refuses_to_overwrite_or_to_write_into_the_course(release, tmp_path):
    again = CliRunner().invoke(main, ["release", str(release)])
    assert again.exit_code == 2 and "--force" in again.output
    assert CliRunner().invoke(main, ["release", str(release), "--force"]).exit_code == 0
    inside = CliRunner().invoke(main, ["release", str(ROOT / "solutions" / "out")])
    assert inside.exit_code == 2 and "solutions/" in inside.output
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GENGRADE_HOME", str(release))
        course.course_root.cache_clear()
        nested = CliRunner().invoke(main, ["release", str(tmp_path / "again")])
        autograder = CliRunner().invoke(main, ["export", "gradescope", str(tmp_path / "a.zip")])
    course.course_root.cache_clear()
    assert nested.exit_code == autograder.exit_code == 2
    assert "is itself a release" in nested.output and "is itself a release" in autograder.output
    other = CliRunner().invoke(main, ["release", str(tmp_path), "--force"])
    assert other.exit_code == 2 and "no earlier release" in other.output


def test_refuses_a_stub_solved_in_place(tmp_path, monkeypatch):
    course_copy = tmp_path / "course"
    for folder in ("exercises", "solutions", "problem_bank"):
        shutil.copytree(ROOT / folder, course_copy / folder)
    solved = course_copy / "exercises/c1/reparameterize.py"
    solved.write_text((ROOT / "solutions/c1/reparameterize.py").read_text())
    monkeypatch.setenv("GENGRADE_HOME", str(course_copy))
    course.course_root.cache_clear()
    try:
        result = CliRunner().invoke(main, ["release", str(tmp_path / "out")])
    finally:
        monkeypatch.delenv("GENGRADE_HOME")
        course.course_root.cache_clear()
    assert result.exit_code == 2 and "not the stub any more" in result.output and not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def installed(release, tmp_path_factory):
    """A new virtual environment that sees this one's packages, with the release installed editable."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    packages = subprocess.run([venv / "bin/python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              check=True, capture_output=True, text=True).stdout.strip()
    # a plain path, not processed as a site dir, so this checkout's own editable install stays out
    Path(packages, "parent-environment.pth").write_text("".join(f"{path}\n" for path in site.getsitepackages()))
    subprocess.run([venv / "bin/python", "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "-e", str(release)],
                   check=True, capture_output=True)
    where = subprocess.run([venv / "bin/python", "-c", "import grader; print(grader.__file__)"], cwd="/",
                           check=True, capture_output=True, text=True).stdout
    assert where.startswith(str(release)), where
    return venv


def gengrade(venv: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "GENGRADE_HOME"}
    return subprocess.run([venv / "bin/gengrade", *args], capture_output=True, text=True, cwd="/", env=env, timeout=120)


def test_check_in_an_installed_release_runs_the_public_checks_only(release, installed, tmp_path):
    stub = gengrade(installed, "check", str(release / "exercises/c1"))
    assert stub.returncode == 1 and "not started yet" in stub.stdout
    assert "Public checks: 0/2 points" in stub.stdout and "Score:" not in stub.stdout
    assert stub.stdout.strip().endswith("6 hidden checks, worth 8 of the exercise's 10 points, run when your work is graded.")

    mine = tmp_path / "c1"
    mine.mkdir()
    for path in (release / "exercises/c1").iterdir():
        mine.joinpath(path.name).write_bytes(path.read_bytes())
    (mine / "reparameterize.py").write_text((ROOT / "solutions/c1/reparameterize.py").read_text())
    right = gengrade(installed, "check", str(mine), "--json")
    assert right.returncode == 0, right.stdout + right.stderr
    report = json.loads(right.stdout)
    assert (report["score"], report["max_score"], report["exercise_points"], report["hidden_points"]) == (2, 2, 10, 8)
    assert [c["public"] for c in report["checks"]] == [True, True] and "run when your work is graded" in report["note"]


def test_a_public_check_names_its_mistake_with_the_hint_in_a_release(release, installed, tmp_path):
    mine = tmp_path / "c4"
    mine.mkdir()
    for path in (release / "exercises/c4").iterdir():
        mine.joinpath(path.name).write_bytes(path.read_bytes())
    (mine / "interpolate.py").write_text(Path(__file__).with_name("catalog").joinpath("c4/mutants/extra_point.py").read_text())
    wrong = gengrade(installed, "check", str(mine))
    assert wrong.returncode == 1
    assert "Looks like: returned steps + 1 points instead of steps" in wrong.stdout
    assert "Public checks: 1/2 points  some public checks fail" in wrong.stdout
