"""Benchmark: 1,000 students' papers and keys in Markdown and HTML, against a Jinja floor.

    python bench/bench_exam.py [--students 1000] [--jobs N] [--repeat 3] [--blueprint FILE]

Prints, each as the median wall time of --repeat runs:
  floor     1,000 and 4,000 trivial Jinja pages rendered and written (no maths, no data)
  draw      sampling every student's variants from the bank (the bank's cost, one process)
  render    papers + keys, md + html, from variants already drawn (this package's cost)
  exam      the whole `gengrade exam` (draw + render + manifest), forked over --jobs
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from jinja2 import Environment

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader import exam as exam_module  # noqa: E402
from grader.bank.instance import sample  # noqa: E402
from grader.bank.load import load_bank  # noqa: E402
from grader.exam.blueprint import load_blueprint  # noqa: E402
from grader.exam.api import make_exam  # noqa: E402
from grader.exam.parallel import default_jobs, fork_map  # noqa: E402
from grader.exam.printing import Output, write_paper  # noqa: E402
from grader.exam.roster import Student  # noqa: E402

BLUEPRINT = ROOT / "examples" / "demo_blueprint.yaml"


def timed(func, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def floor(pages: int) -> None:
    template = Environment().from_string("<h1>{{ title }}</h1><p>Student {{ n }}</p>\n")
    with tempfile.TemporaryDirectory() as folder:
        for n in range(pages):
            Path(folder, f"{n}.html").write_text(template.render(title="Exam", n=n))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--blueprint", type=Path, default=BLUEPRINT)
    args = parser.parse_args()
    students = [Student(f"S{n:05d}", f"Student {n}", n + 2) for n in range(args.students)]
    bank = load_bank()
    plan = exam_module.plan_exam(load_blueprint(args.blueprint), bank, 2025, args.blueprint)
    problems = [p.id for section in plan.problems for p in section]
    print(f"{args.students} students x {len(problems)} questions ({', '.join(problems)}), jobs={args.jobs}, "
          f"median of {args.repeat}")

    exam_module.build_paper(plan, students[0], sample)  # compile the bank's problems once, outside timings
    report("floor: 1,000 trivial pages", timed(lambda: floor(1000), args.repeat))
    report("floor: 4,000 trivial pages", timed(lambda: floor(4000), args.repeat))
    papers: list = []
    draw = timed(lambda: papers.__setitem__(slice(None), [exam_module.build_paper(plan, s, sample) for s in students]),
                 args.repeat)
    report("draw (bank.sample, 1 process)", draw)
    for jobs in sorted({1, args.jobs}):
        report(f"render md+html papers+keys, jobs={jobs}", timed(lambda: render(papers, jobs), args.repeat))
    roster = write_roster(students)
    for jobs in sorted({1, args.jobs}):
        report(f"gengrade exam end to end, jobs={jobs}",
               timed(lambda: whole_exam(bank, args.blueprint, roster, jobs), max(1, args.repeat - 1)))


def render(papers: list, jobs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        output = Output(Path(folder), ("md", "html"), None)
        fork_map(lambda p: write_paper(p, f"papers/{p.student_id}", f"keys/{p.student_id}", output), papers, jobs)


def whole_exam(bank, blueprint: Path, roster: Path, jobs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        make_exam(bank, sample, blueprint, roster, 2025, ("md", "html"), Path(folder) / "out", None, jobs)


def write_roster(students: list[Student]) -> Path:
    path = Path(tempfile.mkdtemp()) / "roster.csv"
    path.write_text("student_id,name\n" + "".join(f"{s.student_id},{s.name}\n" for s in students))
    return path


def report(label: str, seconds: float) -> None:
    print(f"  {label:<45} {seconds:7.2f} s")


if __name__ == "__main__":
    main()
