"""Problem-bank commands: answer, show, practice, bank validate.

Imported on every `gengrade` call, so sympy, yaml and the bank load only inside the commands.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click


SEED_HELP = ("Seed printed with your problem. Problems with parameters need it; for the others it picks the "
             "option order (without it: the order `gengrade show ID` prints).")


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("problem_id", metavar="ID")
@click.argument("value", required=False)
@click.option("--seed", type=int, help=SEED_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def answer(problem_id: str, value: str | None, seed: int | None, as_json: bool) -> None:
    """Check VALUE as your answer to bank problem ID (see it first with `gengrade show ID`).

    VALUE may be a number, a fraction, an expression such as -2*log(2) or sqrt(0.05), a
    percentage, an option letter, a set of letters (A,C), or a formula in the problem's
    variables. Option letters are those `gengrade show ID` prints with the same --seed; without
    --seed, the seed chapter's gate-q1..q3 keep the chapter's letters and other questions use
    seed 0's order. Exit 0 right, 1 wrong, 2 unreadable VALUE or unknown ID.
    """
    from grader.bank.answers import check_answer
    from grader.bank.console import command, show_header, show_problem, show_result, show_solution
    from grader.errors import UsageError

    variant = _instance(problem_id, seed, "answer")
    if value is None:
        raise UsageError(f"missing VALUE: type your answer after the id, as in `{command('answer', variant, 'VALUE')}`; "
                         f"to read the problem first: `{command('show', variant)}`")
    result = check_answer(variant, value)
    if as_json:
        record = {"id": problem_id, "seed": variant.seed, "correct": result.correct, "message": result.message,
                  "misconception": result.misconception, "normalized": result.normalized}
        click.echo(json.dumps(record | ({"key": variant.answer_exact} if result.correct else {}), indent=2))
    else:
        if variant.seed is not None:
            click.echo(f"{show_header(variant)}\n{show_problem(variant)}\n")
        click.echo(show_result(result))
        click.echo(show_solution(variant) if result.correct else
                   f"Try again, or see the worked solution: {command('show', variant, '--solution')}")
    sys.exit(0 if result.correct else 1)


def _instance(problem_id: str, seed: int | None, verb: str):
    """The instance a student sees for (ID, --seed); `answer` needs the seed of a problem with parameters."""
    from grader.bank.load import load_bank
    from grader.bank.instance import present
    from grader.errors import UsageError

    problem = load_bank().get(problem_id)
    if verb == "answer" and seed is None and not problem.fixed:
        raise UsageError(f"{problem_id} has parameters: pass --seed N, the seed printed with your instance "
                         f"(`gengrade show {problem_id}` draws one and prints it)")
    return present(problem, seed)


@click.command()
@click.argument("names", nargs=-1, metavar="ID | --list [TOPIC]...")
@click.option("--seed", type=int, help="Seed of the instance (default: a fresh one for problems with parameters, "
                                       "printed; the chapter's or seed 0's option order for the others).")
@click.option("--solution", is_flag=True, help="Print the key and the worked solution too.")
@click.option("--list", "listing", is_flag=True, help="List the problem ids of the given topics (default: all).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead.")
def show(names: tuple[str, ...], seed: int | None, solution: bool, listing: bool, as_json: bool) -> None:
    """Print bank problem ID (the instance --seed draws) without answering it, or list the ids.

    `gengrade show --list vae` lists the vae problems: id, type, marks, and whether --seed picks
    an instance (seeded) or there is one (fixed). The instance printed is the one `gengrade
    answer ID VALUE` checks with the same --seed, options in the same order.
    """
    from grader.bank.console import command, how_to_answer, problem_list, show_header, show_problem, show_solution
    from grader.bank.load import load_bank
    from grader.errors import UsageError

    if listing:
        problems = load_bank().select(topics=list(names) or None)
        click.echo(json.dumps([{"id": p.id, "topic": p.topic, "type": p.type, "marks": p.marks, "fixed": p.fixed,
                                "title": p.title} for p in problems], indent=2) if as_json else problem_list(problems))
        return
    if len(names) != 1:
        raise UsageError("give one problem ID (as in `gengrade show gate-q1`), or `--list [TOPIC]...` for the ids")
    problem_id = names[0]
    if problem_id in load_bank().topics() and problem_id not in load_bank().problems:
        raise UsageError(f"{problem_id!r} is a topic; its ids: `gengrade show --list {problem_id}`")
    variant = _instance(problem_id, seed, "show")
    if as_json:
        click.echo(json.dumps(_shown_json(variant, solution), indent=2))
        return
    click.echo(click.style(show_header(variant), bold=True))
    click.echo(show_problem(variant))
    click.echo(f"\nAnswer with: {command('answer', variant, 'VALUE')}   (VALUE: {how_to_answer(variant)})")
    if solution:
        click.echo("\n" + show_solution(variant))


def _shown_json(variant, solution: bool) -> dict:
    from grader.bank.variants import LETTERS

    record = {"id": variant.problem_id, "seed": variant.seed, "title": variant.title, "topic": variant.topic,
              "type": variant.type, "marks": variant.marks, "stem": variant.stem,
              "options": [{"letter": LETTERS[j], "text": o.text} for j, o in enumerate(variant.options)]}
    if solution:
        record.update(key=variant.answer_exact, interval=variant.interval, solution=variant.solution)
    return record


@click.command()
@click.argument("topics", nargs=-1, metavar="[TOPIC]...")
@click.option("--count", type=click.IntRange(min=1), default=5, show_default=True, help="How many problems.")
@click.option("--seed", type=int, help="Seed of the draw, to repeat a session.")
def practice(topics: tuple[str, ...], count: int, seed: int | None) -> None:
    """Practise bank problems of the given TOPICs (default: all), one at a time, with instant feedback."""
    from grader.bank.load import load_bank
    from grader.bank.practice import run_practice, terminal_reader

    problems = load_bank().select(topics=list(topics) or None)
    run_practice(problems, count, seed, terminal_reader())


@click.group()
def bank() -> None:
    """Author tools for the problem bank."""


@bank.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def validate(path: Path | None, as_json: bool) -> None:
    """Check every problem in PATH (a YAML file or a folder; default: the course's problem bank).

    Schema, parameters, constraints, answers, distractors and rendering. Exit 1 if any entry is
    invalid, 2 if a file is not readable YAML.
    """
    from grader.bank.load import default_root
    from grader.bank.validate import validate as check
    from grader.bank.variety import table

    report = check(path or default_root())
    if as_json:
        click.echo(json.dumps({"files": report.files, "problems": report.problems, "valid": not report.issues,
                               "errors": [asdict(i) for i in report.issues],
                               "warnings": [asdict(i) for i in report.warnings],
                               "variety": {pid: asdict(v) for pid, v in sorted(report.variety.items())}}, indent=1))
        sys.exit(1 if report.issues else 0)
    for issue in report.issues:
        click.echo(str(issue))
    if report.variety:
        click.echo("Variety per parameterised problem: P(two draws give the same answer), distinct answers\n"
                   "(answers as a student writes them; >= counts among the draws of a larger grid):")
        click.echo("\n".join(table(report.variety)))
    for issue in report.warnings:
        click.echo(f"warning: {issue}")
    verdict = f"{len(report.issues)} error(s)" if report.issues else "all valid"
    click.echo(f"{report.problems} problems in {report.files} file(s) checked: {verdict}.")
    sys.exit(1 if report.issues else 0)


COMMANDS: list = [answer, show, practice, bank]
