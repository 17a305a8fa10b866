"""Grade every catalog mutant many times, each run under a fresh seed (from its student id), and
report any run where it kept full marks or where its feedback named something other than exactly
its declared MISTAKE: drawn shapes and values must reveal each mistake on every seed, not only on
the one the test suite happens to use. Graded as a class, in warm lanes.
Usage: python scripts/soak_mutants.py [--runs 8] [c1 c2 ...]"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from catalog_support import mistake_of  # noqa: E402

from grader import course  # noqa: E402
from grader.grade.api import grade_class  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("exercises", nargs="*", default=[e.id for e in course.all_exercises()])
    parser.add_argument("--runs", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root, expected = Path(tmp) / "class", {}
        for exercise in map(course.exercise_by_id, args.exercises):
            for path in sorted((ROOT / "tests" / "catalog" / exercise.id / "mutants").glob("*.py")):
                for run in range(args.runs):
                    folder = root / f"{exercise.id}-{path.stem}-{run:02d}"
                    folder.mkdir(parents=True)
                    (folder / exercise.file).write_text(path.read_text())
                    expected[folder.name] = mistake_of(path)
        grade_class(root, Path(tmp) / "out", jobs=2)
        reports = [json.loads(line) for line in (Path(tmp) / "out" / "results.jsonl").read_text().splitlines()]
    wrong = []
    for r in reports:
        named = {c["misconception"] for c in r["checks"] if c["misconception"]}
        want = {expected[r["student"]]} - {None}
        if r["score"] >= r["max_score"] or named != want:
            first = next((f"{c['outcome']} {c['name']}: {c['message'].splitlines()[0] if c['message'] else ''}"
                          for c in r["checks"] if c["outcome"] != "pass"), "")
            wrong.append(f"{r['student']} (seed {r['seed']}): {r['score']}/{r['max_score']}, named {sorted(named)}, "
                         f"expected {sorted(want)}; first: {first[:300]}")
    print(f"{len(reports)} runs of {len(expected) // max(args.runs, 1)} mutants, {len(wrong)} wrong")
    print("\n".join(wrong))


if __name__ == "__main__":
    main()
