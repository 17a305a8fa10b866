"""Instructor commands: sheet, exam, mark, export moodle.

Imported on every `gengrade` call, so it imports only click here; the bank, Jinja,
sympy and friends load inside the command that needs them.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

FORMAT_HELP = "Comma-separated outputs: md, html, tex, pdf (pdf needs Chromium or a TeX engine)."
_templates = click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
                          help="Folder of .j2 templates that override the package's by name.")
_formats = click.option("--format", "formats", default="md,html", show_default=True, help=FORMAT_HELP)
_force = click.option("--force", is_flag=True, help="Replace files an earlier run left in the output "
                                                    "(without it, the command stops and names them).")


def _bank():
    """The problem bank and its sampler (loaded once per command)."""
    from grader.bank.load import load_bank
    from grader.bank.instance import sample

    return load_bank(), sample


@click.command()
@click.option("--topic", "topics", multiple=True, help="Draw from this topic (repeatable; default: all).")
@click.option("--count", type=click.IntRange(min=1), default=10, show_default=True, help="Number of problems.")
@click.option("--seed", type=click.IntRange(min=0), help="Seed of the draws (default: random, printed).")
@_formats
@_templates
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Folder to write into.")
@_force
def sheet(topics: tuple[str, ...], count: int, seed: int | None, formats: str, templates: Path | None,
          out: Path, force: bool) -> None:
    """Write a randomized practice sheet, its answer key and worked solutions into OUT."""
    from grader.exam import api as exam_api
    from grader.exam.printing import parse_formats

    fmt = parse_formats(formats)
    bank, sample = _bank()
    written = exam_api.make_sheet(bank, sample, topics, count, exam_api.pick_seed(seed), fmt, out, templates, force)
    click.echo(f"Wrote {', '.join(written.files)} to {out} (seed {written.seed}; rerun with --seed "
               f"{written.seed} for the same sheet).")


@click.command()
@click.argument("blueprint", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="CSV with student_id and name columns.")
@click.option("--seed", type=click.IntRange(min=0), help="Exam seed (default: the blueprint's, else random).")
@_formats
@_templates
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes (default: one per CPU).")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Folder to write into.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
@_force
def exam(blueprint: Path, roster: Path, seed: int | None, formats: str, templates: Path | None,
         jobs: int | None, out: Path, as_json: bool, force: bool) -> None:
    """Write one paper and one answer key per student of ROSTER, and manifest.json, into OUT."""
    from grader.exam import api as exam_api
    from grader.exam.printing import parse_formats

    fmt = parse_formats(formats)
    bank, sample = _bank()
    written = exam_api.make_exam(bank, sample, blueprint, roster, seed, fmt, out, templates, jobs, force)
    if as_json:
        click.echo(json.dumps({"out": str(out), "seed": written.seed, "papers": written.papers,
                               "formats": list(fmt), "overlap": asdict(written.overlap)}, indent=2))
    else:
        click.echo(f"Wrote {written.papers} papers and keys ({', '.join(fmt)}) and manifest.json to {out} "
                   f"(exam seed {written.seed}).")
        click.echo("\n".join(written.overlap.lines()))


@click.command()
@click.argument("manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("responses", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), help="Folder to write into (default: marking/ beside MANIFEST).")
@_templates
@click.option("--json", "as_json", is_flag=True, help="Print every student's total as JSON.")
@_force
def mark(manifest: Path, responses: Path, out: Path | None, templates: Path | None, as_json: bool,
         force: bool) -> None:
    """Mark RESPONSES (student_id, Q1, Q2, ...) against MANIFEST with GATE rules.

    Cells are read like `gengrade answer` reads answers: letters (B, A,C) for MCQ/MSQ; a number,
    fraction, expression or percentage for NAT; empty for not attempted. Every row needs one
    cell per column."""
    from grader.exam import api as exam_api
    from grader.exam.gradebook import fmt

    out = out or manifest.parent / "marking"
    written, results = exam_api.mark_exam(manifest, responses, out, templates, force)
    if as_json:
        click.echo(json.dumps({"out": str(out), "students": [
            {"student_id": r.student_id, "present": r.present, "total": fmt(r.total) if r.present else None,
             "max": r.maximum}
            for r in results]}, indent=2))
        return
    present = [r for r in results if r.present]
    click.echo(f"Marked {len(present)} of {len(results)} students; wrote {', '.join(written.files)} to {out}.")


@click.group()
def export() -> None:
    """Export to other platforms: bank problems to Moodle, the coding exercises' autograder to Gradescope."""


@export.command()
@click.argument("blueprint", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="XML file to write.")
@click.option("--variants", type=click.IntRange(min=1, max=200), default=10, show_default=True,
              help="Random variants per problem.")
@click.option("--seed", type=click.IntRange(min=0), help="Seed of the variants (default: the blueprint's, else random).")
@click.option("--msq-partial", is_flag=True, help="MSQs as core Moodle multichoice with partial credit (1/k per "
                                                  "right option, a wrong one cancels) instead of GATE's all or nothing.")
@_force
def moodle(blueprint: Path, out: Path, variants: int, seed: int | None, msq_partial: bool, force: bool) -> None:
    """Write the problems BLUEPRINT draws from as a Moodle XML quiz bank, one category per problem.

    MSQs follow GATE (marks only for exactly the right set) as Moodle's All-or-Nothing
    Multiple Choice questions (type multichoiceset, the qtype_multichoiceset plugin); with
    --msq-partial they are core multichoice questions, which every Moodle imports."""
    from grader.exam import api as exam_api

    bank, sample = _bank()
    written = exam_api.export_moodle(bank, sample, blueprint, out, seed, variants, msq_partial, force)
    click.echo(f"Wrote {written.papers} problem categories to {out} (seed {written.seed}).")


COMMANDS: list = [sheet, exam, mark, export]
