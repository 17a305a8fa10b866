"""Problem-bank commands: answer, practice, bank validate.

Imported on every `gengrade` call, so sympy, yaml and the bank load only inside the commands.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("problem_id", metavar="ID")
@click.argument("value")
@click.option("--seed", type=int, help="Seed printed with your problem (needed for problems with parameters).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def answer(problem_id: str, value: str, seed: int | None, as_json: bool) -> None:
    """Check VALUE as your answer to bank problem ID.

    VALUE may be a number, a fraction, an expression such as -2*log(2) or sqrt(0.05), an option
    letter, a set of letters (A,C), or a formula in the problem's variables. Exit 0 right, 1 wrong.
    """
    from grader.bank.answers import check_answer
    from grader.bank.load import load_bank
    from grader.bank.instance import sample
    from grader.errors import UsageError
    from grader.bank.practice import show_problem, show_result, show_solution

    problem = load_bank().get(problem_id)
    if seed is None and not problem.fixed:
        raise UsageError(f"{problem_id} has parameters: pass --seed N, the seed printed with your instance")
    variant = sample(problem, seed)
    result = check_answer(variant, value)
    if as_json:
        record = {"id": problem_id, "seed": variant.seed, "correct": result.correct, "message": result.message,
                  "misconception": result.misconception, "normalized": result.normalized}
        click.echo(json.dumps(record | ({"key": variant.answer_exact} if result.correct else {}), indent=2))
    else:
        if not problem.fixed:
            click.echo(f"{problem_id} (seed {variant.seed}):\n{show_problem(variant)}\n")
        click.echo(show_result(result))
        if result.correct:
            click.echo(show_solution(variant))
    sys.exit(0 if result.correct else 1)


@click.command()
@click.argument("topics", nargs=-1, metavar="[TOPIC]...")
@click.option("--count", type=click.IntRange(min=1), default=5, show_default=True, help="How many problems.")
@click.option("--seed", type=int, help="Seed of the draw, to repeat a session.")
def practice(topics: tuple[str, ...], count: int, seed: int | None) -> None:
    """Practise bank problems of the given TOPICs (default: all), one at a time, with instant feedback."""
    from grader.bank.load import load_bank
    from grader.bank.practice import run_practice

    problems = load_bank().select(topics=list(topics) or None)
    run_practice(problems, count, seed, lambda: sys.stdin.readline() or None)


@click.group()
def bank() -> None:
    """Author tools for the problem bank."""


@bank.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
def validate(path: Path | None) -> None:
    """Check every problem in PATH (a YAML file or a folder; default: the course's problem bank).

    Schema, parameters, constraints, answers, distractors and rendering. Exit 1 if any entry is
    invalid, 2 if a file is not readable YAML.
    """
    from grader.bank.load import default_root
    from grader.bank.validate import validate as check
    from grader.bank.variety import table

    report = check(path or default_root())
    for issue in report.issues:
        click.echo(str(issue))
    if report.variety:
        click.echo("Distinct instances per parameterised problem (>= marks a lower bound from sampling):")
        click.echo("\n".join(table(report.variety)))
    for issue in report.warnings:
        click.echo(f"warning: {issue}")
    verdict = f"{len(report.issues)} error(s)" if report.issues else "all valid"
    click.echo(f"{report.problems} problems in {report.files} file(s) checked: {verdict}.")
    sys.exit(1 if report.issues else 0)


COMMANDS: list = [answer, practice, bank]
