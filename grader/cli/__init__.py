"""The `gengrade` command line: parse, call the API, print. Exit 0 ok, 1 wrong, 2 usage."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from grader import __version__
from grader.errors import GraderError
from grader.sandbox.confine import DEFAULT_MEMORY_MB


class Group(click.Group):
    """Turn GraderError into `Error: ...` on stderr with its exit code (no traceback)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except GraderError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=Group)
@click.version_option(__version__, prog_name="gengrade")
def main() -> None:
    """Auto-graded exercises and exam papers on generative models."""


@main.command()
@click.argument("folder", type=click.Path(path_type=Path), required=False)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON report on stdout.")
@click.option("--timeout", type=click.FloatRange(min=1), help="Seconds your code may run (default: the exercise's, 60).")
@click.option("--memory", type=click.IntRange(min=256), default=DEFAULT_MEMORY_MB, show_default=True, help="MiB of memory your code may use.")
@click.option("--seed", type=int, help="Seed of the random draws, to reproduce a run.")
@click.option("--exercise", "exercise_id", metavar="cN", help="For a notebook: the exercise it solves "
              "(default: from its metadata, or the one whose function it defines).")
def check(folder: Path | None, as_json: bool, timeout: float | None, memory: int, seed: int | None,
          exercise_id: str | None) -> None:
    """Grade the exercise in FOLDER (e.g. exercises/c2; default: this folder), the function a notebook
    (FOLDER.ipynb) defines, or one file (with --exercise), with its checks (a student release: the
    public ones)."""
    from grader.check import api
    from grader import course
    from grader.check import display
    from grader.check import progress
    from grader.release import feedback, manifest

    options = {"timeout_s": timeout, "memory_mb": memory, "seed": seed}
    if folder is not None and folder.suffix == ".ipynb":
        from grader.notebook.route import check_notebook

        submission, report = folder, check_notebook(folder, exercise_id, **options)
    else:
        if exercise_id and not (folder is not None and folder.is_file()):
            raise click.UsageError("--exercise names the exercise of a notebook or of a single file; "
                                   "a folder names its own in exercise.toml")
        exercise, submission = (course.exercise_by_id(exercise_id), folder) if exercise_id else \
            course.locate(folder or Path.cwd())
        report = api.check_submission(exercise, submission, **options)
    hidden = manifest.hidden_part(report.exercise)  # set in a student release, which has the public checks only
    progress.remember(report, submission, public_only=bool(hidden))
    if as_json:
        data = report.to_json()
        click.echo(json.dumps(feedback.public_json(data, hidden) if hidden else data, indent=2))
    else:
        click.echo(display.format_report(report, hidden=hidden))
    sys.exit(0 if report.all_passed else 1)


@main.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_(as_json: bool) -> None:
    """List the exercises (points, status of your local copies) and the problem-bank topics."""
    from grader import course
    from grader.check import progress
    from grader.bank.load import load_bank

    rows = [{"id": e.id, "title": e.title, "points": e.points,
             "status": progress.status(e.id, e.stub_dir / e.file, e.function)} for e in course.all_exercises()]
    try:
        topics, bank_error = load_bank().topics(), ""
    except GraderError as exc:  # the exercises are still worth listing
        topics, bank_error = {}, str(exc).splitlines()[0]
    if as_json:
        click.echo(json.dumps({"exercises": rows, "topics": topics, "bank_error": bank_error}, indent=2))
        return
    click.echo(click.style(f"{'id':<5}{'title':<42}{'points':>6}  status", bold=True))
    for row in rows:
        click.echo(f"{row['id']:<5}{row['title']:<42}{row['points']:>6}  {row['status']}")
    click.echo(click.style("\nproblem bank (gengrade practice TOPIC, gengrade answer ID VALUE)", bold=True))
    click.echo(bank_error or "  ".join(f"{topic} ({count})" for topic, count in topics.items()))


def _register() -> None:
    """Commands kept in their own modules, each importing its heavy libraries lazily."""
    from grader.cli import bank as bank_cli
    from grader.cli import exam as exam_cli
    from grader.cli import grade as grade_cli
    from grader.cli import handout as handout_cli
    from grader.cli import serve as serve_cli

    for command in bank_cli.COMMANDS + exam_cli.COMMANDS + grade_cli.COMMANDS + handout_cli.COMMANDS + serve_cli.COMMANDS:
        main.add_command(command)
    for command in handout_cli.EXPORTS:
        exam_cli.export.add_command(command)


_register()

# Commands whose work is over when they return: their process may end at once. With torch
# loaded, the interpreter's own teardown costs ~0.3 s, a sixth of a check.
QUICK_EXIT = {"check", "list", "answer", "show"}


def run() -> None:
    """The console script (and `python -m grader`): `main`, then, for QUICK_EXIT commands, an
    exit that skips the interpreter's teardown once the output is flushed."""
    quick = len(sys.argv) > 1 and sys.argv[1] in QUICK_EXIT
    try:
        main()
    except SystemExit as exc:
        if not quick:
            raise
        code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
