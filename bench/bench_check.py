"""How long `gengrade check` takes, against the floor it stands on: `python -c "import torch"`.

Runs each command several times, alternating them so drift affects both alike, and prints
medians and ratios of wall time and of CPU time (user + sys of the whole process tree, from
getrusage(RUSAGE_CHILDREN)): on a shared machine wall time follows the load, CPU time much less.
Bubblewrap runs the sandbox in its own PID namespace, whose CPU time never reaches getrusage, so
CPU figures count the sandbox only with `--isolation landlock` (or none). A check runs two
interpreters that each import torch (the sandbox's child and the grader, side by side), so its
CPU time is at least about 2x the floor's; what a suite adds is the rest.
Usage: python bench/bench_check.py [--runs 7] [--exercises c1 c2] [--isolation landlock]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader import course


def cpu_of_children() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(command: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of command, its children included."""
    cpu, start = cpu_of_children(), time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start, cpu_of_children() - cpu


def student_copy(exercise: course.Exercise, root: Path) -> Path:
    """A folder anywhere on disk holding the reference as if a student wrote it."""
    folder = root / exercise.id
    folder.mkdir()
    shutil.copy(exercise.stub_dir / "exercise.toml", folder)
    shutil.copy(exercise.reference_path, folder / exercise.file)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--exercises", nargs="*", default=[e.id for e in course.all_exercises()])
    parser.add_argument("--isolation", help="GENGRADE_ISOLATION for the checks (default: the strongest here)")
    args = parser.parse_args()
    if args.isolation:
        os.environ["GENGRADE_ISOLATION"] = args.isolation
    floor_cmd = [sys.executable, "-c", "import torch"]
    gengrade = [sys.executable, "-m", "grader", "check"]
    with tempfile.TemporaryDirectory() as tmp:
        folders = {e: student_copy(course.exercise_by_id(e), Path(tmp)) for e in args.exercises}
        floors, checks = [], {e: [] for e in folders}
        for _ in range(args.runs):
            floors.append(timed(floor_cmd))
            for exercise, folder in folders.items():
                checks[exercise].append(timed(gengrade + [str(folder)]))
    isolation = os.environ.get("GENGRADE_ISOLATION", "auto")
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) at the end, {args.runs} runs each, isolation {isolation}")
    print(f"{'command':<34}{'wall s':>8}{'x floor':>9}{'CPU s':>8}{'x floor':>9}")
    floor_wall, floor_cpu = (statistics.median(t[i] for t in floors) for i in (0, 1))
    rows = [('python -c "import torch"', floors)] + [("gengrade check " + e, t) for e, t in checks.items()]
    for label, times in rows:
        wall, cpu = (statistics.median(t[i] for t in times) for i in (0, 1))
        print(f"{label:<34}{wall:>8.2f}{wall / floor_wall:>9.2f}{cpu:>8.2f}{cpu / floor_cpu:>9.2f}")

if __name__ == "__main__":
    main()
