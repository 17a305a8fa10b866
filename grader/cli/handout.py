"""Instructor commands that ship the course: release (the student handout) and
export gradescope (an autograder zip). Heavy imports stay inside the commands."""

from __future__ import annotations

from pathlib import Path

import click

from grader.cli.exam import _force


@click.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--notebooks", is_flag=True, help="Add notebooks/cN.ipynb: the statement, the stub and a check cell.")
@click.option("--install", "install_url", metavar="URL", help="With --notebooks: a first cell installs the handout "
              "from this zip or git URL (for Colab).")
@_force
def release(out: Path, notebooks: bool, install_url: str | None, force: bool) -> None:
    """Write the student handout into OUT: stubs, task statements, the public checks, the problem
    bank and the gengrade package. No reference solution, no hidden check."""
    from grader.release.handout import build_release

    if install_url and not notebooks:
        raise click.UsageError("--install adds a cell to the notebooks: pass --notebooks too")
    built = build_release(out, force, notebooks=notebooks, install_url=install_url)
    click.echo(f"Wrote the student release ({len(built.hidden)} exercises, {built.files} files) to {out}. "
               f"Students set it up with: python -m pip install -c constraints.txt -e .")


@click.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--exercises", "ids", help="Comma-separated exercise ids to grade, e.g. c1,c3 (default: all).")
@_force
def gradescope(out: Path, ids: str | None, force: bool) -> None:
    """Write OUT.zip, a Gradescope autograder: setup.sh, run_autograder, the hidden suites and the
    grader. Each run grades the files named like the exercises' stubs and writes results.json."""
    from grader.gradescope.export import build_autograder

    built = build_autograder(out, ids.split(",") if ids else None, force)
    click.echo(f"Wrote the Gradescope autograder for {', '.join(built.exercises)} ({built.points} points) to {out}. "
               "Upload it as the assignment's autograder; submissions are graded as the students' files named "
               f"{', '.join(built.files)}.")


COMMANDS: list = [release]
EXPORTS: list = [gradescope]
