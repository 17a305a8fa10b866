"""Public verbs of the grader, called by the CLI and by batch tools."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from grader.course import Exercise
from grader.check.judge import judge
from grader.check.misconceptions import load_misconceptions
from grader.check.models import Report
from grader.check.runner import SandboxRun
from grader.sandbox.child import DEFAULT_MEMORY_MB
from grader.check.suite import load_module, load_suite


def check_submission(exercise: Exercise, submission: Path, *, timeout_s: float | None = None,
                     memory_mb: int = DEFAULT_MEMORY_MB, seed: int | None = None) -> Report:
    """Grade one submitted file against the exercise's hidden checks."""
    start = time.monotonic()
    seed = secrets.randbelow(2**31) if seed is None else seed
    # Start the student's process first: it imports torch while we do the same below.
    run = SandboxRun(exercise.suite_path, submission, [], timeout_s=timeout_s or exercise.timeout_s,
                     memory_mb=memory_mb, seed=seed, private=(exercise.solution_dir,))
    suite = load_suite(exercise.suite_path)
    reference = load_module(exercise.reference_path, f"gengrade_reference_{exercise.id}")
    misconceptions = load_misconceptions(exercise.solution_dir / "misconceptions.toml")
    observations = run.collect()
    results, headline = judge(suite, reference, observations, str(submission), misconceptions)
    return Report(exercise.id, exercise.title, str(submission), tuple(results), headline, seed,
                  round(time.monotonic() - start, 3))
