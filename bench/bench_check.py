"""How long `gengrade check` takes, against the floor it stands on: `python -c "import torch"`.

Runs each command several times, alternating them so drift affects both alike, and
prints medians and the ratio. Usage: python bench/bench_check.py [--runs 7] [--exercises c1 c2]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader import course


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


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
    args = parser.parse_args()
    floor_cmd = [sys.executable, "-c", "import torch"]
    gengrade = [sys.executable, "-m", "grader", "check"]
    with tempfile.TemporaryDirectory() as tmp:
        folders = {e: student_copy(course.exercise_by_id(e), Path(tmp)) for e in args.exercises}
        floors, checks = [], {e: [] for e in folders}
        for _ in range(args.runs):
            floors.append(timed(floor_cmd))
            for exercise, folder in folders.items():
                checks[exercise].append(timed(gengrade + [str(folder)]))
    floor = statistics.median(floors)
    print(f"{'command':<34}{'median s':>10}{'x floor':>9}")
    floor_label = 'python -c "import torch"'
    print(f"{floor_label:<34}{floor:>10.2f}{1:>9.2f}")
    for exercise, times in checks.items():
        median = statistics.median(times)
        print(f"{'gengrade check ' + exercise:<34}{median:>10.2f}{median / floor:>9.2f}")


if __name__ == "__main__":
    main()
