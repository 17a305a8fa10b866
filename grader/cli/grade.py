"""`gengrade grade`: grade a whole class's coding submissions (thin over grader.grade.api)."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click

from grader.sandbox.confine import DEFAULT_MEMORY_MB


def _ids(text: str | None) -> list[str] | None:
    return [part.strip() for part in text.split(",") if part.strip()] if text else None


@click.command()
@click.argument("submissions", type=click.Path(path_type=Path))
@click.argument("students", nargs=-1, metavar="[STUDENT...]")
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="Folder for the gradebook, feedback and class report (and the ledger that lets a run resume).")
@click.option("--jobs", type=click.IntRange(min=1), help="Submissions graded at once (default: the CPUs).")
@click.option("--exercises", "exercise_ids", metavar="c1,c3", help="Grade only these exercises (default: all).")
@click.option("--timeout", type=click.FloatRange(min=1), help="Seconds each file may run (default: the exercise's).")
@click.option("--memory", type=click.IntRange(min=256), default=DEFAULT_MEMORY_MB, show_default=True,
              help="MiB of memory each file may use.")
@click.option("--scheduler", metavar="ADDRESS", help="Run the jobs on this Dask cluster (needs `distributed`).")
@click.option("--no-isolation", is_flag=True, help="Grade even where no OS isolation exists (unprotected).")
@click.option("--force", is_flag=True, help="Write into an OUT that holds other files.")
@click.option("--regrade", is_flag=True, help="Regrade every file, even those whose result still stands; with "
              "STUDENT ids after SUBMISSIONS (as gradebook.csv shows them), only those students' files.")
@click.option("--json", "as_json", is_flag=True, help="Print the run's summary as one JSON object on stdout.")
def grade(submissions: Path, students: tuple[str, ...], out: Path, jobs: int | None, exercise_ids: str | None,
          timeout: float | None, memory: int, scheduler: str | None, no_isolation: bool, force: bool, regrade: bool,
          as_json: bool) -> None:
    """Grade every student's submission in SUBMISSIONS (one folder or .zip per student, named by
    student id) with the hidden checks, isolated and in parallel. Run it again to resume after an
    interruption: a result is kept while the file, the suite, the grader, the limits and the
    isolation that produced it are unchanged, and regraded otherwise; `--regrade` forces it, for
    every file or for the STUDENTs named after SUBMISSIONS."""
    from grader.check import isolation
    from grader.exam.parallel import default_jobs
    from grader.grade.api import grade_class
    from grader.grade.lifetime import Stopped, sigterm_stops
    from grader.grade.outputs import FEEDBACK, OUTPUTS

    if students and not regrade:
        raise click.UsageError(f"{students[0]}: student ids after SUBMISSIONS name whom to regrade; add --regrade")
    chosen = isolation.NONE if no_isolation and not isolation.choose().protected else isolation.choose()
    try:
        with sigterm_stops(), _progress() as report:
            summary = grade_class(submissions, out, exercise_ids=_ids(exercise_ids), jobs=jobs or default_jobs(),
                                  isolation=chosen, timeout_s=timeout, memory_mb=memory, scheduler=scheduler,
                                  force=force, regrade=set(students) if students else regrade, unprotected=no_isolation,
                                  progress=report)
    except Stopped:
        click.echo("Stopped (SIGTERM): every result so far is in the ledger; run the same command to resume.", err=True)
        sys.exit(143)
    outputs = [out / name for name in OUTPUTS]
    if as_json:
        click.echo(json.dumps({**asdict(summary), "outputs": [str(p) for p in outputs]}, indent=1))
        return
    click.echo(f"{summary.students} students: {summary.graded} files graded{_regraded(summary.regraded)}, "
               f"{summary.reused} unchanged since the last run, {summary.problems} could not be graded "
               f"({summary.elapsed_s:g} s; {summary.isolation}).")
    for line in [*summary.failures, *(f"retried after its worker was lost: {r}" for r in summary.retried)]:
        click.echo(f"  {line}", err=True)
    click.echo(f"Wrote {', '.join(f'{p}/' if p.name == FEEDBACK else str(p) for p in outputs)}")


def _regraded(why: dict[str, int]) -> str:
    """" (3 regraded: 2 file changed, 1 limits)", or nothing when no earlier result was replaced."""
    if not why:
        return ""
    return f" ({sum(why.values())} regraded: {', '.join(f'{n} {reason}' for reason, n in why.items())})"


class _progress:
    """A progress bar on a terminal (rich); a plain line every tenth of the way in logs."""

    def __enter__(self):
        self.bar = None
        if sys.stderr.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                                TextColumn("{task.description}"), transient=True)
            self.bar.__enter__()
            self.task = None
        return self.report

    def report(self, done: int, total: int, what: str) -> None:
        if self.bar is not None:
            if self.task is None:
                self.task = self.bar.add_task("", total=total)
            self.bar.update(self.task, completed=done, description=what)
        elif done == total or done % max(1, total // 10) == 0:
            click.echo(f"graded {done}/{total} ({what})", err=True)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


COMMANDS = [grade]
