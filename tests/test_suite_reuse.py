"""Judging with one collected pytest session per process (grader.check.suite) gives exactly the
results a fresh `pytest.main` per submission gives, and nothing of one submission reaches the next."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from types import SimpleNamespace

import pytest

from grader import course
from grader.check import isolation as iso
from grader.check.plugin import GradingSession, suite_args
from grader.check.suite import Suite, judge_with_suite
from grader.errors import GraderError
from grader.grade.lane import Lane

from catalog_support import submissions

EXERCISES = ("c5", "c9")  # their catalogs reach every outcome, named mistakes included
SEED = 20261207


@pytest.fixture(scope="module")
def observed():
    """(exercise, file id, observations) for the references, stubs and catalogs of EXERCISES,
    each run once on a warm lane."""
    exercises = [course.exercise_by_id(i) for i in EXERCISES]
    lane = Lane(exercises, iso.choose())
    try:
        return [(e, key, lane.start(e.id, path.read_bytes(), SEED, e.timeout_s).collect())
                for e in exercises for key, path in submissions(e).items()]
    finally:
        lane.close()


def by_pytest_main(exercise, observations) -> list:
    """The results of a fresh pytest session, as `pytest solutions/cN --submission FILE` builds one."""
    grading = GradingSession(exercise, lambda: observations, SEED, exercise.file)
    assert pytest.main(suite_args(exercise.tests_path), plugins=[grading, grading.fixtures()]) in (0, 1)
    return grading.results


def by_suite(exercise, observations, suite: Suite | None = None) -> list:
    grading = GradingSession(exercise, lambda: observations, SEED, exercise.file)
    return suite.run(grading) if suite else judge_with_suite(exercise, grading)


def test_a_reused_session_judges_the_catalog_exactly_as_fresh_sessions_do(observed):
    outcomes = Counter()
    for exercise, key, observations in observed:
        fresh = by_pytest_main(exercise, observations)
        assert by_suite(exercise, observations) == fresh, key
        outcomes.update(r.outcome if r.misconception is None else "named mistake" for r in fresh)
    # the comparison covers every kind of ending a check has
    assert {"pass", "fail", "error", "not-started", "not-run", "named mistake"} <= set(outcomes), outcomes


def test_judging_one_submission_after_another_changes_neither(observed):
    """Two submissions of c5 in a row, in both orders, on one suite: each as judged alone in a fresh process."""
    picks = [o for o in observed if o[1] in ("c5/reference", "c5/mutants/missing_half")]
    exercise = picks[0][0]
    alone = _alone_in_fresh_processes(exercise, [observations for _, _, observations in picks])
    for order in (picks, picks[::-1]):
        suite = Suite(exercise)
        in_row = [[asdict(r) for r in by_suite(exercise, obs, suite)] for _, _, obs in order]
        assert in_row == (alone if order is picks else alone[::-1])
    assert alone[0] != alone[1]


def _alone_in_fresh_processes(exercise, observations: list) -> list[list[dict]]:
    """The results of judging each of `observations` in a process of its own (run side by side)."""
    script = ("import json, pickle, sys; from dataclasses import asdict; from grader import course; "
              "from grader.check.plugin import GradingSession; from grader.check.suite import judge_with_suite; "
              "obs = pickle.load(sys.stdin.buffer); "
              f"e = course.exercise_by_id({exercise.id!r}); g = GradingSession(e, lambda: obs, {SEED}, e.file); "
              "print(json.dumps([asdict(r) for r in judge_with_suite(e, g)]))")
    root = Path(__file__).resolve().parents[1]
    procs = [subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=root)
             for _ in observations]
    outputs = [proc.communicate(pickle.dumps(obs), timeout=120)[0] for proc, obs in zip(procs, observations)]
    assert all(proc.returncode == 0 for proc in procs)
    return [json.loads(out.decode().splitlines()[-1]) for out in outputs]


def test_a_suite_that_cannot_be_collected_is_named(tmp_path):
    solutions = tmp_path / "solutions" / "cx"
    solutions.mkdir(parents=True)
    (solutions / "probes.py").write_text("")
    (solutions / "test_cx.py").write_text("def test_broken(:\n    pass\n")
    exercise = SimpleNamespace(tests_path=solutions / "test_cx.py", probes_path=solutions / "probes.py")
    with pytest.raises(GraderError, match=r"test_cx.py could not be collected"):
        Suite(exercise)


def test_a_kept_suite_leaves_sys_stdout_to_whoever_set_it_last(observed, monkeypatch):
    """A program that swaps sys.stdout between checks (a notebook, click's test runner) keeps its own
    stream: the kept session must not restore the stream it saw when it was first run."""
    import io

    exercise, _, observations = observed[0]
    for _ in range(2):
        stream = io.StringIO()
        monkeypatch.setattr(sys, "stdout", stream)
        by_suite(exercise, observations)
        assert sys.stdout is stream
