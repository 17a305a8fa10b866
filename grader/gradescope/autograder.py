"""What runs on Gradescope for each submission: grade every exercise the autograder holds and
write results.json, whatever the submission is.

A missing or unreadable file (encrypted, damaged, too large, inside a zip that cannot be
opened) costs that exercise its points with a line that says why, and nothing more; a
failure of the grader itself is reported the same way. Each file is graded from a private
copy, with a seed drawn from its content, so a regrade of the same file repeats its run.
results.json is written last and atomically: anything a submission left there is replaced.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import replace
from pathlib import Path

from grader import course
from grader.atomic import write_file
from grader.gradescope import results
from grader.gradescope.submission import Candidate, Unreadable, candidates, choose

DEFAULT_ROOT = Path("/autograder")


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else DEFAULT_ROOT
    started = time.monotonic()
    try:
        tests, output, seeds = grade_all(root / "submission", course.all_exercises())
    except Exception:  # noqa: BLE001 - the results file is written whatever went wrong
        traceback.print_exc()
        tests, output, seeds = [], ["The autograder failed before grading; your instructor can see why in its log."], {}
    data = results.results_json(tests, output, time.monotonic() - started, {"seeds": seeds})
    write_file(root / "results" / "results.json", (json.dumps(data, indent=2) + "\n").encode())
    sys.stdout.buffer.write(("\n".join(output) + "\n").encode("utf-8", "replace"))  # for the instructor's log
    return 0


def grade_all(folder: Path, exercises: list[course.Exercise]) -> tuple[list[dict], list[str], dict[str, int]]:
    """Gradescope tests, output lines and seeds for every exercise, from the files in `folder`."""
    damaged: dict[str, str] = {}
    found = candidates(folder, damaged) if folder.is_dir() else []
    tests, output, seeds = [], [], {}
    work = Path(tempfile.mkdtemp(prefix="gengrade-gradescope-"))
    try:
        for number, exercise in enumerate(exercises, 1):
            pick, named = choose(found, exercise.file, exercise.id)
            origin = None
            if pick is None:
                pick, origin = _from_notebook(found, exercise)
            if pick is None:
                reason = f"{exercise.file} was not found in your submission{_damage(damaged)}; upload it{_listing(found)}."
                tests.append(results.lost_test(number, exercise, reason))
                output.append(f"{exercise.id} {exercise.title}: {reason}")
                continue
            if len(named) > 1:
                output.append(f"{exercise.id}: {len(named)} files are named {exercise.file}; graded {pick.shown}.")
            exercise_tests, line, seed = grade_one(number, exercise, pick, work, origin)
            tests += exercise_tests
            output.append(line)
            if seed is not None:
                seeds[exercise.id] = seed
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return tests, output, seeds


def _from_notebook(found: list[Candidate], exercise: course.Exercise) -> tuple[Candidate | None, tuple | None]:
    """A notebook that solves the exercise (grader.notebook.entries), as a candidate whose bytes are
    the code taken from it, and where that code's lines came from; (None, None) if none does."""
    from grader.notebook.entries import from_notebooks

    for candidate in (c for c in found if c.name.lower().endswith(".ipynb")):
        try:
            files, origins, _ = from_notebooks({candidate.shown: candidate.read()}, [exercise])
        except Unreadable:
            continue
        if exercise.id in files:
            source = files[exercise.id]
            return Candidate(candidate.shown, candidate.parts, lambda: source), origins[exercise.id]
    return None, None


def grade_one(number: int, exercise: course.Exercise, pick: Candidate, work: Path,
              origin: tuple | None = None) -> tuple[list[dict], str, int | None]:
    """Tests and an output line for one exercise's file (or notebook: `origin`); never raises."""
    from grader.check.api import check_submission

    try:
        data = pick.read()
    except Exception as exc:  # noqa: BLE001 - Unreadable says why; anything else still costs this file only
        reason = f"{pick.shown} could not be read: {exc if isinstance(exc, Unreadable) else type(exc).__name__}."
        return [results.lost_test(number, exercise, reason)], f"{exercise.id} {exercise.title}: {reason}", None
    copy = work / exercise.id / exercise.file
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_bytes(data)
    seed = int.from_bytes(hashlib.sha256(data).digest()[:4], "big") % 2**31
    try:
        report = check_submission(exercise, copy, seed=seed)
    except Exception as exc:  # noqa: BLE001 - a grader failure costs this exercise, not the run
        print(f"{exercise.id}: grading {pick.shown} failed", file=sys.stderr)
        traceback.print_exc()
        reason = f"{pick.shown} could not be graded ({type(exc).__name__}); your instructor can see why in the log."
        return [results.lost_test(number, exercise, reason)], f"{exercise.id} {exercise.title}: {reason}", seed
    if origin:  # lines named as the notebook's cells first, then any path left as where the file was
        from grader.notebook.extract import Extracted
        from grader.notebook.route import in_cells

        report = in_cells(report, Extracted(origin=list(origin[1])), exercise.file, Path(pick.shown))
    report = _relabel(report, str(copy), pick.shown)
    line = (f"{exercise.id} {exercise.title}: graded {pick.shown} ({report.isolation})."
            + (f" {report.headline}" if report.headline else ""))
    return results.check_tests(number, exercise, report), line, seed


def _relabel(report, copy: str, shown: str):
    """The report with the private copy's path replaced by where the student put the file."""
    checks = tuple(replace(c, message=c.message.replace(copy, shown)) for c in report.checks)
    return replace(report, checks=checks, headline=report.headline.replace(copy, shown), submission=shown)


def _damage(damaged: dict[str, str]) -> str:
    """Why files may be missing: the zips that could not be opened."""
    if not damaged:
        return ""
    return "; " + "; ".join(f"{name} is damaged and could not be opened ({why})" for name, why in damaged.items())


def _listing(found: list[Candidate]) -> str:
    if not found:
        return " (the submission holds no files)"
    names = [c.shown for c in found[:5]]
    return f" (found: {', '.join(names)}{', ...' if len(found) > 5 else ''})"
