"""`gengrade grade`: grade a class's submissions, isolated and in parallel, resumably.

The ledger in OUT remembers every graded (student, exercise) with what produced its result
(the file's sha256, the suite, the grader's version, the limits, the isolation), so running the
same command again after an interruption grades only what is left, regrades what is stale
(and says why), and the outputs are rebuilt from the ledger each time.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Collection, Iterator

from grader import course
from grader.check import isolation as iso
from grader.errors import UsageError
from grader.grade import outputs, pool
from grader.grade.basis import FORCED, Basis, digest, grader_version, stale, suite_hash
from grader.grade.lane import label as lane_label
from grader.grade.ledger import NAME as LEDGER, Ledger
from grader.grade.submissions import Submission, discover
from grader.sandbox.confine import DEFAULT_MEMORY_MB


@dataclass
class Summary:
    students: int = 0
    graded: int = 0  # files graded in this run (new, or regraded)
    reused: int = 0  # files whose earlier result the ledger kept
    regraded: dict[str, int] = field(default_factory=dict)  # why an earlier result was replaced -> files
    problems: int = 0
    failures: list[str] = field(default_factory=list)
    retried: list[str] = field(default_factory=list)  # jobs run again after their worker was lost
    elapsed_s: float = 0.0
    isolation: str = ""


Progress = Callable[[int, int, str], None]  # (done, to do, what just finished)


def grade_class(submissions: Path, out: Path, *, exercise_ids: list[str] | None = None, jobs: int = 2,
                isolation: iso.Isolation | None = None, timeout_s: float | None = None,
                memory_mb: int = DEFAULT_MEMORY_MB, scheduler: str | None = None, force: bool = False, regrade: bool | Collection[str] = False, unprotected: bool = False,
                progress: Progress = lambda done, total, what: None) -> Summary:
    """Grade every submission in `submissions` into `out`; see the module docstring. `regrade`:
    True regrades every file, a collection of student ids regrades theirs."""
    start = time.monotonic()
    exercises = _exercises(exercise_ids)
    isolation = isolation or iso.choose()
    if not isolation.protected and not unprotected:
        raise UsageError("no OS isolation is available here (bubblewrap or Landlock with seccomp), so a class's "
                         "code cannot be graded safely; pass --no-isolation to grade anyway, unprotected")
    _claim(out, force)
    entries = discover(submissions, exercises)
    forced = _forced(regrade, entries)
    ledger = Ledger(out)
    try:
        summary = Summary(students=len(entries), isolation=lane_label(isolation))
        bases = _bases(exercises, timeout_s, memory_mb, isolation.kind)
        todo = _plan(entries, bases, forced, ledger, summary)
        for done, (job, result) in enumerate(_run(todo, jobs, scheduler, summary.retried), start=1):
            _settle(ledger, job, result, summary)
            progress(done, len(todo), job.name)
        _write(out, entries, exercises, ledger)
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


def _forced(regrade: bool | Collection[str], entries: list[Submission]) -> Callable[[str], bool]:
    """Whether a student's files are to be regraded whatever the ledger holds."""
    if isinstance(regrade, bool):
        return lambda student: regrade
    unknown = sorted(set(regrade) - {e.student for e in entries})
    if unknown:
        raise UsageError(f"--regrade {unknown[0]}: no such student among the submissions "
                         "(use the id as the gradebook's student_id column shows it)")
    return set(regrade).__contains__


def _bases(exercises: list[course.Exercise], timeout_s: float | None, memory_mb: int, kind: str) -> dict[str, Basis]:
    """Per exercise, what a result graded now rests on (the file's digest left empty)."""
    version = grader_version()
    return {e.id: Basis("", suite_hash(e), version, timeout_s or e.timeout_s, memory_mb, kind) for e in exercises}


def _plan(entries: list[Submission], bases: dict[str, Basis], forced: Callable[[str], bool], ledger: Ledger,
          summary: Summary) -> list[pool.Job]:
    """The jobs to run; records what cannot be graded, and forgets files no longer submitted."""
    ledger.reset_problems()
    todo, why = [], Counter()
    for entry in entries:
        for exercise, reason in entry.problems.items():
            ledger.problem(entry.student, exercise, reason)
            summary.problems += 1
        for exercise, content in entry.files.items():
            basis = replace(bases[exercise], digest=digest(content))
            old = ledger.basis(entry.student, exercise)
            reason = None if old is None else FORCED if forced(entry.student) else stale(old, basis)
            if old is not None and reason is None:
                summary.reused += 1
                continue
            why.update([reason] if reason else [])
            todo.append(pool.Job(entry.student, exercise, content, basis, entry.origins.get(exercise)))
    summary.regraded = dict(sorted(why.items()))
    ledger.forget_missing({e.student: set(e.files) for e in entries}, set(bases))
    return todo


def _run(todo: list[pool.Job], jobs: int, scheduler: str | None,
         retried: list[str]) -> Iterator[tuple[pool.Job, dict | Exception]]:
    if not todo:
        return iter(())
    if scheduler:
        return pool.run_dask(todo, scheduler, retried)
    return pool.run_local(todo, max(1, min(jobs, len(todo))), retried)


def _settle(ledger: Ledger, job: pool.Job, result: dict | Exception, summary: Summary) -> None:
    if isinstance(result, Exception):
        reason = f"could not be graded: {result}"
        ledger.problem(job.student, job.exercise, reason)
        summary.failures.append(f"{job.name}: {reason}")
        return
    ledger.record(job.student, job.exercise, job.basis, result)
    summary.graded += 1


def _write(out: Path, entries: list[Submission], exercises: list[course.Exercise], ledger: Ledger) -> None:
    """The outputs, for the students submitted now and the exercises graded now."""
    chosen = {e.id for e in exercises}
    reports = {key: report for key, report in ledger.reports().items() if key[1] in chosen}
    notes = {e.student: "; ".join(e.notes) for e in entries if e.notes}
    outputs.write_outputs(out, [e.student for e in entries], exercises, reports, ledger.problems(), notes)
