"""Benchmark: 1,000 students' papers and keys, against a Jinja floor; a class of 30 in each format.

    python bench/bench_exam.py [--students 1000] [--format md,html] [--jobs N] [--repeat 3]
                               [--blueprint FILE] [--class-formats "md html tex pdf"]

Prints, each as the median wall time of --repeat runs:
  floor     1,000 and 4,000 trivial Jinja pages rendered and written (no maths, no data)
  draw      sampling every student's variants from the bank (the bank's cost, one process)
  render    papers + keys in the text formats of --format, from variants already drawn
  exam      the whole `gengrade exam` (draw + render + manifest) in --format, forked over --jobs
  class     the `gengrade exam` command itself (a new process: start-up and bank included) for
            the 30 students of examples/demo_roster.csv, in each of --class-formats (each a
            --format value; pdf is printed by the renderer this machine has)
--students 0 runs only the class timings; --class-formats "" skips them. With Chromium
installed, GENGRADE_CHROMIUM=none makes pdf go through the TeX route instead.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jinja2 import Environment

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.bank.instance import sample  # noqa: E402
from grader.bank.load import load_bank  # noqa: E402
from grader.exam import papers as exam_module  # noqa: E402
from grader.exam import pdf  # noqa: E402
from grader.exam.blueprint import load_blueprint  # noqa: E402
from grader.exam.api import make_exam  # noqa: E402
from grader.exam.parallel import default_jobs, fork_map  # noqa: E402
from grader.exam.printing import Output, parse_formats, write_paper  # noqa: E402
from grader.exam.roster import Student  # noqa: E402

BLUEPRINT = ROOT / "examples" / "demo_blueprint.yaml"
CLASS = ROOT / "examples" / "demo_roster.csv"


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
    parser.add_argument("--format", dest="formats", type=parse_formats, default=("md", "html"))
    parser.add_argument("--class-formats", default="md html tex pdf")
    args = parser.parse_args()
    bank = load_bank()
    if args.students:
        many(args, bank)
    for formats in args.class_formats.split():
        via = f" (pdf via {pdf.renderer().source})" if "pdf" in formats else ""
        report(f"30 students: gengrade exam --format {formats}{via}",
               timed(lambda: command(args.blueprint, formats, args.jobs), args.repeat))


def many(args, bank) -> None:
    """--students papers: the floor, the draw, the render and the whole command."""
    students = [Student(f"S{n:05d}", f"Student {n}", n + 2) for n in range(args.students)]
    plan = exam_module.plan_exam(load_blueprint(args.blueprint), bank, 2025, args.blueprint,
                                 [s.student_id for s in students])
    problems = sorted({p.id for drawn in plan.chosen.values() for section in drawn for p in section})
    print(f"{args.students} students x {sum(len(s) for s in plan.chosen[students[0].student_id])} questions "
          f"(drawn per student from {len(problems)} problems), jobs={args.jobs}, "
          f"formats {','.join(args.formats)}, median of {args.repeat}")

    for problem in {p.id: p for drawn in plan.chosen.values() for s in drawn for p in s}.values():
        sample(problem, 0)  # compile the bank's problems once, outside timings
    report("floor: 1,000 trivial pages", timed(lambda: floor(1000), args.repeat))
    report("floor: 4,000 trivial pages", timed(lambda: floor(4000), args.repeat))
    papers: list = []
    draw = timed(lambda: papers.__setitem__(slice(None), [exam_module.build_paper(plan, s, sample) for s in students]),
                 args.repeat)
    report("draw (bank.sample, 1 process)", draw)
    text = tuple(f for f in args.formats if f != "pdf")
    for jobs in sorted({1, args.jobs}) if text else ():
        report(f"render {'+'.join(text)} papers+keys, jobs={jobs}", timed(lambda: render(papers, text, jobs), args.repeat))
    roster = write_roster(students)
    for jobs in sorted({1, args.jobs}):
        report(f"gengrade exam end to end, jobs={jobs}",
               timed(lambda: whole_exam(bank, args.blueprint, roster, args.formats, jobs), max(1, args.repeat - 1)))


def render(papers: list, formats: tuple[str, ...], jobs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        output = Output(Path(folder), formats, None)
        fork_map(lambda p: write_paper(p, f"papers/{p.student_id}", f"keys/{p.student_id}", output), papers, jobs)


def whole_exam(bank, blueprint: Path, roster: Path, formats: tuple[str, ...], jobs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        make_exam(bank, sample, blueprint, roster, 2025, formats, Path(folder) / "out", None, jobs)


def command(blueprint: Path, formats: str, jobs: int) -> None:
    """`gengrade exam` for the demo class, as a user runs it."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-m", "grader", "exam", str(blueprint), "--roster", str(CLASS), "--seed", "2025",
                        "--format", formats, "--jobs", str(jobs), "--out", str(Path(folder) / "out")],
                       check=True, stdout=subprocess.DEVNULL)


def write_roster(students: list[Student]) -> Path:
    path = Path(tempfile.mkdtemp()) / "roster.csv"
    path.write_text("student_id,name\n" + "".join(f"{s.student_id},{s.name}\n" for s in students))
    return path


def report(label: str, seconds: float) -> None:
    print(f"  {label:<55} {seconds:7.2f} s")


if __name__ == "__main__":
    main()
