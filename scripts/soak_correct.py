"""Grade every correct catalog variant (and the reference) many times, fresh random draws
each run, and report any run below full marks: an empirical check that the statistical
checks do not flake. Usage: python scripts/soak_correct.py [--runs 12] [c1 c2 c3]"""

from __future__ import annotations

import argparse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from grader.check import api
from grader import course

CATALOG = Path(__file__).resolve().parents[1] / "tests" / "catalog"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("exercises", nargs="*", default=[e.id for e in course.all_exercises()])
    parser.add_argument("--runs", type=int, default=12)
    args = parser.parse_args()
    jobs = []
    for exercise in map(course.exercise_by_id, args.exercises):
        files = sorted((CATALOG / exercise.id / "correct").glob("*.py")) + [exercise.reference_path]
        jobs += [(exercise, path) for path in files for _ in range(args.runs)]
    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(lambda job: (job[1], api.check_submission(*job)), jobs))
    short = [(path, report) for path, report in reports if report.score < report.max_score]
    print(f"{len(reports)} runs, {len(short)} below full marks")
    for path, report in short:
        print(f"  {path}: {report.score}/{report.max_score} (seed {report.seed}): "
              + "; ".join(c.message.splitlines()[0] for c in report.checks if not c.passed))


if __name__ == "__main__":
    main()
