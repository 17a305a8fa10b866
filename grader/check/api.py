"""Public verbs of the coding-exercise grader, called by the CLI and by batch tools."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from grader.check.misconceptions import load_misconceptions
from grader.check.models import Report
from grader.check.isolation import Isolation, protect_this_process
from grader.check.runner import Observations, SandboxRun
from grader.course import Exercise
from grader.errors import GraderError
from grader.sandbox.confine import DEFAULT_MEMORY_MB
from grader.seeds import fresh_seed


def start_run(exercise: Exercise, submission: Path, *, seed: int, timeout_s: float | None = None,
              memory_mb: int = DEFAULT_MEMORY_MB, isolation: Isolation | None = None) -> SandboxRun:
    """Start the submission's isolated run of the exercise's probes; returns at once."""
    protect_this_process()
    return SandboxRun(exercise.probes_path, exercise.function, submission, timeout_s=timeout_s or exercise.timeout_s,
                      memory_mb=memory_mb, seed=seed, isolation=isolation)


def check_submission(exercise: Exercise, submission: Path, *, timeout_s: float | None = None,
                     memory_mb: int = DEFAULT_MEMORY_MB, seed: int | None = None,
                     isolation: Isolation | None = None) -> Report:
    """Grade one submitted file against the exercise's hidden checks."""
    start = time.monotonic()
    seed = fresh_seed() if seed is None else seed
    # Start the student's process first: it imports torch while we import pytest and torch.
    run = start_run(exercise, submission, seed=seed, timeout_s=timeout_s, memory_mb=memory_mb, isolation=isolation)
    return judge(exercise, run.collect, seed, str(submission), start)


def judge(exercise: Exercise, observe: Callable[[], Observations], seed: int, source: str, start: float) -> Report:
    """Run the exercise's hidden suite on what `observe` returns (waiting for it only when a
    check first needs it), and make the report."""
    import torch

    from grader.check.plugin import GradingSession
    from grader.check.suite import judge_with_suite

    torch.set_num_threads(1)  # verdicts are small; a thread pool would wait on cores the sandboxes use
    session = GradingSession(exercise, observe, seed, source)
    try:
        judge_with_suite(exercise, session)
    finally:
        observations = session.observations()  # the run is over (and cleaned up) whatever happened
    if not session.results:
        raise GraderError(f"the hidden suite {exercise.tests_path} could not run: "
                          f"run `pytest {exercise.tests_path} --submission {source}` to see why")
    misconceptions = load_misconceptions(exercise.solution_dir / "misconceptions.toml")
    results = tuple(r.advised(misconceptions.get(r.misconception)) for r in session.results)
    return Report(exercise.id, exercise.title, source, results, _headline(session, exercise), seed,
                  round(time.monotonic() - start, 3), observations.isolation, observations.output)


def _headline(session, exercise: Exercise) -> str:
    if not session.headline and all(r.outcome == "not-started" for r in session.results):
        return f"not started yet: implement {exercise.function} in {session.source} (it still raises NotImplementedError)"
    return session.headline
