"""Hostile submissions (tests/catalog/hostile/) under every isolation this machine has.

For each attack and each isolation: no marks it did not earn (exactly the score of the honest
fallback it ends with), nothing outside its run written, deleted or read (canary files and
the course stay as they were, and a secret in them never reaches the report), no process
left running, bounded time, no hidden line and no control character in the report, and
classmates graded right, even while the attack runs beside them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from grader import course
from grader.check import api, isolation, runner
from grader.grade.lane import Lane, label as lane_label

from isolation_marks import BUBBLEWRAP, LANDLOCK

HOSTILE = Path(__file__).parent / "catalog" / "hostile"
ATTACKS = sorted(p for p in HOSTILE.glob("*.py") if not p.name.startswith("_"))
TIMEOUT_S = 8
TOKEN = "canary-" + uuid.uuid4().hex
# One check in a fresh sandbox, or class grading's warm lane (a forked child per submission).
KINDS = [pytest.param("bubblewrap", marks=BUBBLEWRAP), pytest.param("landlock", marks=LANDLOCK),
         pytest.param("bubblewrap-lane", marks=BUBBLEWRAP), pytest.param("landlock-lane", marks=LANDLOCK)]


def declared(path: Path, name: str, default):
    match = re.search(rf"^{name} = (.+)$", path.read_text(), re.M)
    return eval(match.group(1)) if match else default  # noqa: S307 - our own catalog's constants


def submit(folder: Path, exercise: course.Exercise, source: str) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(exercise.stub_dir / "exercise.toml", folder)
    (folder / exercise.file).write_text(source)
    return folder / exercise.file


def fill(source: str, canary: Path) -> str:
    """The attack as it is submitted: placeholders filled, the frame and forging helpers pasted in (one file)."""
    for mark, helpers in (("__FRAMES__", "_frames.py"), ("__FORGE__", "_forge.py")):
        text = (HOSTILE / helpers).read_text()
        source = re.sub(rf"^# {mark}.*$", lambda _: text, source, flags=re.M)  # noqa: B023 - used at once
    return (source.replace("__COURSE__", str(course.course_root())).replace("__CANARY__", str(canary))
            .replace("__TOKEN__", TOKEN))


@pytest.fixture
def canary(tmp_path):
    folder = tmp_path / "canary"
    (folder / "classmate").mkdir(parents=True)
    (folder / "precious.txt").write_text(f"keep me {TOKEN}\n")
    (folder / "classmate" / "add_noise.py").write_text(f"# {TOKEN}\n" + course.exercise_by_id("c2").reference_path.read_text())
    return folder


@pytest.fixture
def marked(monkeypatch):
    """Every child started from now on carries a unique mark in its environment, so a process
    left behind can be found in /proc."""
    mark = uuid.uuid4().hex
    plain = runner.child_env
    monkeypatch.setattr(runner, "child_env", lambda home: {**plain(home), "GENGRADE_TEST_MARK": mark})
    return mark


def survivors(mark: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and f"GENGRADE_TEST_MARK={mark}".encode() in Path(f"/proc/{entry}/environ").read_bytes():
                found.append(int(entry))
        except OSError:
            pass
    return found


def snapshot(*roots: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime) of every file under the roots, and of the entries of Python's own folders."""
    state = {}
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file():
                stat = path.stat()
                state[str(path)] = (stat.st_size, stat.st_mtime_ns)
    for folder in {os.path.dirname(os.__file__), os.path.realpath(os.sys.prefix)}:
        for name in os.listdir(folder):
            state[os.path.join(folder, name)] = (0, 0)
    return state


def hidden_lines(exercise: course.Exercise, attack_source: str) -> list[str]:
    """Lines of the reference, the hidden suite and the misconceptions that no report may show."""
    lines = []
    for path in (exercise.reference_path, exercise.tests_path, exercise.solution_dir / "misconceptions.toml"):
        lines += [line.strip() for line in path.read_text().splitlines()
                  if len(line.strip()) >= 30 and line.strip() not in attack_source]
    return lines


@pytest.fixture(scope="module")
def honest_scores():
    """What each exercise's honest fallback earns, per isolation (graded once)."""
    return {}


def grade(kind: str, exercise: course.Exercise, path: Path) -> api.Report:
    """The report for `path` under `kind`: a fresh sandbox, or a warm lane (closed afterwards)."""
    base = kind.removesuffix("-lane")
    if base == kind:
        return api.check_submission(exercise, path, timeout_s=TIMEOUT_S, isolation=isolation.choose(kind))
    lane = Lane([exercise], isolation.choose(base))
    try:
        start = time.monotonic()
        run = lane.start(exercise.id, path.read_bytes(), 12345, TIMEOUT_S)
        return api.judge(exercise, run.collect, 12345, exercise.file, start)
    finally:
        lane.close()


def fallback_score(kind: str, tmp: Path, scores: dict) -> int:
    if kind not in scores:
        c5 = course.exercise_by_id("c5")
        scores[kind] = grade(kind, c5, submit(tmp / f"fallback-{kind}", c5, (HOSTILE / "_wrong.py").read_text())).score
        assert scores[kind] < c5.points
    return scores[kind]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("attack", ATTACKS, ids=lambda p: p.stem)
def test_attack_gains_nothing_and_harms_nothing(tmp_path, canary, marked, honest_scores, kind, attack):
    exercise = course.exercise_by_id(declared(attack, "TARGET", "c5"))
    source = fill(attack.read_text(), canary)
    fallback = fallback_score(kind, tmp_path, honest_scores)  # first: the grader's own imports are done
    before = snapshot(course.course_root() / "grader", exercise.solution_dir, canary)
    start = time.monotonic()
    report = grade(kind, exercise, submit(tmp_path / "student", exercise, source))
    elapsed = time.monotonic() - start
    time.sleep(0.3)  # anything killed with the sandbox is gone by now

    passes_only = declared(attack, "PASSES_ONLY", None)  # an attack on what the probes observe
    if passes_only is not None:
        assert {c.name for c in report.checks if c.passed} == passes_only, report
    if declared(attack, "MUST_LOSE_MARKS", False):
        assert report.score < report.max_score
    elif passes_only is None:
        assert report.score <= fallback, report
    assert elapsed < TIMEOUT_S + 15
    assert survivors(marked) == []
    assert snapshot(course.course_root() / "grader", exercise.solution_dir, canary) == before
    assert (canary / "precious.txt").read_text() == f"keep me {TOKEN}\n"
    text = json.dumps(report.to_json())
    assert TOKEN not in text and "\\u001b" not in text and "\\r" not in text
    assert not [line for line in hidden_lines(exercise, source) if line in text]
    assert report.isolation == (lane_label(isolation.choose(kind[:-5])) if kind.endswith("-lane")
                                else isolation.choose(kind).label)


@pytest.mark.parametrize("kind", KINDS[:2])
def test_a_classmate_is_graded_right_beside_an_attack(tmp_path, canary, marked, kind):
    c5 = course.exercise_by_id("c5")
    attack = submit(tmp_path / "attacker", c5, fill((HOSTILE / "watch_other_runs.py").read_text(), canary))
    honest = submit(tmp_path / "classmate", c5, c5.reference_path.read_text())
    chosen = isolation.choose(kind)
    with ThreadPoolExecutor(2) as pool:
        jobs = [pool.submit(api.check_submission, c5, path, timeout_s=TIMEOUT_S, isolation=chosen)
                for path in (attack, honest, honest)]
        reports = [job.result() for job in jobs]
    assert reports[1].score == reports[2].score == c5.points
    assert honest.read_text() == c5.reference_path.read_text() and not (canary / "loot.txt").exists()
    assert survivors(marked) == []
