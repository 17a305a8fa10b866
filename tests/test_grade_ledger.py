"""The class-grading ledger and the basis of its results: what makes a result stale and why,
an older ledger's rows read as stale, and which rows a rerun keeps, drops or replaces."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

import pytest

import grader
from grader import course
from grader.grade.basis import Basis, digest, grader_version, judging_hash, stale, suite_hash
from grader.grade.ledger import NAME, Ledger

BASE = Basis("d" * 64, "s" * 64, "0.1.0+abc", 60.0, 1024, "bubblewrap")


@pytest.fixture
def ledger(tmp_path):
    book = Ledger(tmp_path)
    yield book
    book.close()


@pytest.mark.parametrize("change, why", [
    ({"digest": "e" * 64}, "file changed"), ({"suite": "t" * 64}, "suite changed"),
    ({"grader": "0.2.0+abc"}, "grader version"), ({"timeout_s": 3.0}, "limits"), ({"memory_mb": 2048}, "limits"),
    ({"isolation": "landlock"}, "isolation"), ({"digest": "e" * 64, "timeout_s": 3.0}, "file changed"),
    ({"suite": "t" * 64, "memory_mb": 1}, "suite changed"), ({"grader": "x", "isolation": "none"}, "grader version"),
])
def test_the_first_difference_names_why_a_result_is_stale(change, why):
    assert stale(BASE, replace(BASE, **change)) == why
    assert stale(BASE, BASE) is None


def test_a_result_recorded_before_a_part_was_kept_is_stale():
    for name in ("suite", "grader", "timeout_s", "memory_mb", "isolation"):
        assert stale(replace(BASE, **{name: None}), BASE) == "grader version", name
    assert stale(replace(BASE, suite=None, digest="e" * 64), BASE) == "file changed"


def test_a_file_digest_is_its_sha256():
    assert digest(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_the_ledger_opens_in_a_new_nested_folder_and_serves_any_thread(tmp_path):
    book = Ledger(tmp_path / "a" / "b")
    worker = threading.Thread(target=book.record, args=("s1", "c1", BASE, {"score": 1, "a": 2}))
    worker.start()
    worker.join()
    with sqlite3.connect(tmp_path / "a" / "b" / NAME) as db:
        assert db.execute("SELECT report FROM graded").fetchone() == ('{"a": 2, "score": 1}',)  # stable text
    book.close()


def test_the_ledger_keeps_each_result_with_its_basis(ledger):
    assert ledger.basis("s1", "c1") is None
    ledger.record("s1", "c1", BASE, {"score": 3})
    ledger.record("s1", "c1", replace(BASE, timeout_s=90.0), {"score": 7})  # a regrade replaces the row
    ledger.record("s2", "c5", replace(BASE, isolation="landlock"), {"score": 10})
    assert ledger.basis("s1", "c1") == replace(BASE, timeout_s=90.0)
    assert ledger.basis("s2", "c5").isolation == "landlock" and ledger.basis("s2", "c1") is None
    assert ledger.reports() == {("s1", "c1"): {"score": 7}, ("s2", "c5"): {"score": 10}}
    assert list(ledger.reports()) == [("s1", "c1"), ("s2", "c5")]


def test_an_older_ledger_gains_the_columns_and_its_rows_are_stale(tmp_path):
    with sqlite3.connect(tmp_path / NAME) as db:  # the schema before results kept their basis
        db.executescript("""
            CREATE TABLE graded (student TEXT NOT NULL, exercise TEXT NOT NULL, digest TEXT NOT NULL,
                                 report TEXT NOT NULL, PRIMARY KEY (student, exercise));
            CREATE TABLE problems (student TEXT NOT NULL, exercise TEXT NOT NULL, reason TEXT NOT NULL,
                                   PRIMARY KEY (student, exercise));""")
        db.execute("INSERT INTO graded VALUES ('s1', 'c5', ?, '{\"score\": 10}')", (BASE.digest,))
    old = Ledger(tmp_path)
    try:
        recorded = old.basis("s1", "c5")
        assert recorded == Basis(BASE.digest, None, None, None, None, None)
        assert stale(recorded, BASE) == "grader version" and old.reports() == {("s1", "c5"): {"score": 10}}
        old.record("s1", "c5", BASE, {"score": 9})
        assert old.basis("s1", "c5") == BASE
    finally:
        old.close()
    again = Ledger(tmp_path)  # opening a migrated ledger again changes nothing
    assert again.basis("s1", "c5") == BASE
    again.close()


def test_problems_replace_grades_and_grades_replace_problems(ledger):
    for student in ("s1", "s2"):
        for exercise in ("c1", "c5"):
            ledger.record(student, exercise, BASE, {"score": 1})
    ledger.problem("s1", "c1", "two files")
    ledger.problem("s2", "*", "a broken zip")
    assert set(ledger.reports()) == {("s1", "c5")}
    assert ledger.problems() == {("s1", "c1"): "two files", ("s2", "*"): "a broken zip"}
    ledger.record("s1", "c1", BASE, {"score": 2})
    assert ledger.problems() == {("s2", "*"): "a broken zip"}
    ledger.reset_problems()
    assert ledger.problems() == {} and set(ledger.reports()) == {("s1", "c1"), ("s1", "c5")}


def test_forgetting_drops_what_is_no_longer_submitted_and_keeps_other_exercises(ledger):
    for student, exercise in (("s1", "c1"), ("s1", "c5"), ("s2", "c1"), ("s2", "c5"), ("gone", "c1")):
        ledger.record(student, exercise, BASE, {"score": 1})
    ledger.forget_missing({"s1": {"c5"}, "s2": {"c5"}}, {"c5", "c1"} - {"c1"})  # this run grades c5 only
    assert set(ledger.reports()) == {("s1", "c1"), ("s1", "c5"), ("s2", "c1"), ("s2", "c5")}
    ledger.forget_missing({"s1": {"c5"}, "s2": {"c1", "c5"}}, {"c1", "c5"})  # s1 dropped c1
    assert set(ledger.reports()) == {("s1", "c5"), ("s2", "c1"), ("s2", "c5")}


@pytest.fixture
def course_copy(tmp_path, monkeypatch):
    """A copy of c5's folders as the course, so a test can change its suite."""
    root = tmp_path / "course"
    for part in ("exercises", "solutions"):
        shutil.copytree(course.course_root() / part / "c5", root / part / "c5")
    monkeypatch.setenv("GENGRADE_HOME", str(root))
    course.course_root.cache_clear()
    yield root
    course.course_root.cache_clear()


@pytest.mark.parametrize("path", ["solutions/c5/probes.py", "solutions/c5/test_c5.py",
                                  "solutions/c5/misconceptions.toml", "exercises/c5/exercise.toml",
                                  "solutions/c5/helpers.py"])
def test_the_suite_hash_changes_with_each_file_of_the_suite(course_copy, path):
    exercise = course.exercise_by_id("c5")
    before = suite_hash(exercise)
    target = course_copy / path
    target.write_text((target.read_text() if target.exists() else "") + "\n# changed\n")
    assert suite_hash(exercise) != before


def test_the_suite_hash_ignores_the_reference_and_caches(course_copy):
    exercise = course.exercise_by_id("c5")
    before = suite_hash(exercise)
    (course_copy / "solutions/c5/kl_loss.py").write_text("# a reference never read by grading\n")
    (course_copy / "solutions/c5/__pycache__").mkdir()
    (course_copy / "solutions/c5/__pycache__/probes.cpython-311.pyc").write_bytes(b"\0")
    assert suite_hash(exercise) == before
    (course_copy / "solutions/c5/probes.py").rename(course_copy / "solutions/c5/probes2.py")
    assert suite_hash(exercise) != before  # names count, not only bytes
    before = suite_hash(exercise)
    (course_copy / "solutions/c5/zz").mkdir()  # still the last file in order: only its folder differs
    (course_copy / "solutions/c5/test_c5.py").rename(course_copy / "solutions/c5/zz/test_c5.py")
    assert suite_hash(exercise) != before  # and the folder a file is in


def test_the_grader_version_names_the_release_and_the_judging_code():
    release, code = grader_version().split("+")
    assert release == grader.__version__ and code == judging_hash(Path(grader.__file__).parent)[:16]


def test_the_judging_hash_changes_with_the_code_that_judges_only(tmp_path):
    for name in ("check/judge.py", "sandbox/child.py", "exam/marking.py", "check/notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x = 1\n")
    before = judging_hash(tmp_path)
    for name in ("exam/marking.py", "check/notes.txt"):
        (tmp_path / name).write_text("x = 2\n")
    assert judging_hash(tmp_path) == before
    for name in ("check/judge.py", "sandbox/child.py"):
        (tmp_path / name).write_text("x = 3\n")
        assert judging_hash(tmp_path) != before
        before = judging_hash(tmp_path)
