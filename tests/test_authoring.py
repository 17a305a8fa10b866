"""The README's "adding an exercise" example is a working suite: dropped into a course of its own,
it grades the right code full marks, names the mistake it knows, and runs under plain pytest."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RIGHT = "def vae_kl_loss(mu, log_var):\n    return 0.5 * (mu**2 + log_var.exp() - 1 - log_var).flatten(1).sum(1).mean()\n"
HALF_MISSING = RIGHT.replace("0.5 * ", "")


def readme_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## For authors: adding an exercise"):].split("\n## ", 1)[0]
    return [re.sub(r"^   ", "", block, flags=re.M) for block in re.findall(r"```python\n(.*?)```", section, re.S)]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course holding only the README's exercise, as c9."""
    root = tmp_path_factory.mktemp("course")
    probes, tests = readme_blocks()
    for folder in ("exercises/c9", "solutions/c9"):
        (root / folder).mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / "conftest.py", root / "solutions")
    (root / "solutions" / "__init__.py").write_text("")
    (root / "solutions" / "c9" / "__init__.py").write_text("")
    (root / "solutions" / "c9" / "probes.py").write_text(probes)
    (root / "solutions" / "c9" / "test_c9.py").write_text(tests)
    (root / "solutions" / "c9" / "kl.py").write_text(RIGHT)
    (root / "solutions" / "c9" / "misconceptions.toml").write_text(
        '[missing-half]\nsummary = "forgot the 1/2"\nhint = "KL = 0.5 * sum(...)."\n')
    (root / "exercises" / "c9" / "exercise.toml").write_text(
        'id = "c9"\ntitle = "KL, the README way"\nfile = "kl.py"\nfunction = "vae_kl_loss"\npoints = 3\n')
    (root / "exercises" / "c9" / "kl.py").write_text("def vae_kl_loss(mu, log_var):\n    raise NotImplementedError\n")
    return root


def check(course: Path, tmp_path: Path, source: str) -> dict:
    folder = tmp_path / "c9"
    folder.mkdir(exist_ok=True)
    shutil.copy(course / "exercises/c9/exercise.toml", folder)
    (folder / "kl.py").write_text(source)
    result = subprocess.run([sys.executable, "-m", "grader", "check", str(folder), "--json"], capture_output=True,
                            text=True, env={**os.environ, "GENGRADE_HOME": str(course)}, timeout=120)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_the_example_grades_right_code_full_marks(course, tmp_path):
    report = check(course, tmp_path, RIGHT)
    assert (report["score"], report["max_score"]) == (3, 3), report
    assert [c["public"] for c in report["checks"]] == [True, False]


def test_the_example_names_the_mistake_it_knows(course, tmp_path):
    report = check(course, tmp_path, HALF_MISSING)
    assert report["score"] == 1 and [c["misconception"] for c in report["checks"]] == [None, "missing-half"]


def test_the_example_runs_under_plain_pytest(course, tmp_path):
    (tmp_path / "kl.py").write_text(RIGHT)
    result = subprocess.run([sys.executable, "-m", "pytest", str(course / "solutions/c9"), "--submission",
                             str(tmp_path / "kl.py"), "-p", "no:cacheprovider", "-q"], capture_output=True, text=True,
                            env={**os.environ, "GENGRADE_HOME": str(course)}, cwd=course, timeout=120)
    assert result.returncode == 0 and "2 passed" in result.stdout, result.stdout + result.stderr
