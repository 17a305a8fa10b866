"""`gengrade grade`: grade a class's submissions, isolated and in parallel, resumably.

The ledger in OUT remembers every graded (student, exercise) with the sha256 of the file it
graded, so running the same command again after an interruption grades only what is left
(or what changed), and the outputs are rebuilt from the ledger each time.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from grader import course
from grader.check import isolation as iso
from grader.errors import UsageError
from grader.grade import outputs, pool
from grader.grade.lane import label as lane_label
from grader.grade.ledger import NAME as LEDGER, Ledger
from grader.grade.submissions import Submission, discover
from grader.sandbox.confine import DEFAULT_MEMORY_MB


@dataclass
class Summary:
    students: int = 0
    graded: int = 0  # files graded in this run
    reused: int = 0  # files whose earlier result the ledger kept
    problems: int = 0
    failures: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    isolation: str = ""


Progress = Callable[[int, int, str], None]  # (done, to do, what just finished)


def grade_class(submissions: Path, out: Path, *, exercise_ids: list[str] | None = None, jobs: int = 2,
                isolation: iso.Isolation | None = None, timeout_s: float | None = None,
                memory_mb: int = DEFAULT_MEMORY_MB, scheduler: str | None = None, force: bool = False,
                unprotected: bool = False, progress: Progress = lambda done, total, what: None) -> Summary:
    """Grade every submission in `submissions` into `out`; see the module docstring."""
    start = time.monotonic()
    exercises = _exercises(exercise_ids)
    isolation = isolation or iso.choose()
    if not isolation.protected and not unprotected:
        raise UsageError("no OS isolation is available here (bubblewrap or Landlock with seccomp), so a class's "
                         "code cannot be graded safely; pass --no-isolation to grade anyway, unprotected")
    _claim(out, force)
    entries = discover(submissions, exercises)
    ledger = Ledger(out)
    try:
        summary = Summary(students=len(entries), isolation=lane_label(isolation))
        todo = _plan(entries, exercises, ledger, summary, isolation.kind, timeout_s, memory_mb)
        for done, (job, result) in enumerate(_run(todo, jobs, scheduler), start=1):
            _settle(ledger, job, result, summary)
            progress(done, len(todo), f"{job.student} {job.exercise}")
        outputs.write_outputs(out, [e.student for e in entries], exercises, ledger.reports(), ledger.problems())
    finally:
        ledger.close()
    summary.elapsed_s = round(time.monotonic() - start, 2)
    return summary


def _exercises(ids: list[str] | None) -> list[course.Exercise]:
    every = course.all_exercises()
    if not ids:
        return every
    return [course.exercise_by_id(i) for i in dict.fromkeys(ids)]


def _claim(out: Path, force: bool) -> None:
    """OUT is new, empty, or an earlier run's (it holds the ledger); anything else needs --force."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder; choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / LEDGER).exists() and not force:
        raise UsageError(f"{out}: already holds files that are not an earlier grading run's; pass --force to "
                         "write there anyway, or choose another --out")


def _plan(entries: list[Submission], exercises: list[course.Exercise], ledger: Ledger, summary: Summary,
          kind: str, timeout_s: float | None, memory_mb: int) -> list[pool.Job]:
    """The jobs still to run; records what cannot be graded, and forgets files no longer submitted."""
    ledger.reset_problems()
    limits = {e.id: timeout_s or e.timeout_s for e in exercises}
    todo = []
    for entry in entries:
        for exercise, reason in entry.problems.items():
            ledger.problem(entry.student, exercise, reason)
            summary.problems += 1
        for exercise, content in entry.files.items():
            digest = hashlib.sha256(content).hexdigest()
            if ledger.done(entry.student, exercise, digest):
                summary.reused += 1
            else:
                todo.append(pool.Job(entry.student, exercise, content, digest, limits[exercise], kind, memory_mb))
    ledger.forget_missing({e.student: set(e.files) for e in entries})
    return todo


def _run(todo: list[pool.Job], jobs: int, scheduler: str | None) -> Iterator[tuple[pool.Job, dict | Exception]]:
    if not todo:
        return iter(())
    if scheduler:
        return pool.run_dask(todo, scheduler)
    return pool.run_local(todo, max(1, min(jobs, len(todo))))


def _settle(ledger: Ledger, job: pool.Job, result: dict | Exception, summary: Summary) -> None:
    if isinstance(result, Exception):
        reason = f"could not be graded: {result}"
        ledger.problem(job.student, job.exercise, reason)
        summary.failures.append(f"{job.student} {job.exercise}: {reason}")
        return
    ledger.record(job.student, job.exercise, job.digest, result)
    summary.graded += 1
