"""Self-study: show drawn problems, read answers line by line, give instant feedback and a score.

Plain text through click.echo/click.style, so it works in a terminal and when answers are piped
in (`printf 'C\\n0.18\\n' | gengrade practice --count 2 --seed 1`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable

import click

from grader.bank.answers import AnswerResult, check_answer
from grader.bank.instance import LETTERS, sample
from grader.errors import UsageError
from grader.bank.problem import Problem
from grader.bank.terminal_math import key_text, to_terminal
from grader.bank.variants import Variant

QUIT = {"quit", "q", "exit"}
SKIP = {"", "skip", "s"}
HOW = {"mcq": "one letter", "msq": "one or more letters, e.g. A,C", "nat": "a number; fractions and expressions work",
       "expr": "a formula in {}"}


def show_problem(variant: Variant) -> str:
    """The stem, then the options lettered in bank order, maths as Unicode."""
    lines = [variant.stem]
    lines += [f"  ({LETTERS[j]}) {option.text}" for j, option in enumerate(variant.options)]
    return to_terminal("\n".join(lines))


def show_solution(variant: Variant) -> str:
    return f"Key: {show_key(variant)}\nWorked solution:\n{to_terminal(variant.solution)}"


def show_key(variant: Variant) -> str:
    if variant.type == "expr":
        return key_text(variant.answer_exact)
    if variant.type != "nat":
        return variant.answer_exact
    lo, hi = variant.interval
    approx, exact = f"{variant.answer:.6g}", key_text(variant.answer_exact)
    shown = approx if exact == approx or len(exact) > 40 else f"{exact} = {approx}"
    return f"{shown} (accepted: {lo:.6g} to {hi:.6g})"


def show_result(result: AnswerResult) -> str:
    mark = click.style("Right." if result.correct else "Wrong.", fg="green" if result.correct else "red", bold=True)
    return f"{mark} {to_terminal(result.message)}"


@dataclass
class Score:
    marks: int = 0
    possible: int = 0
    right: int = 0
    answered: int = 0
    skipped: int = 0
    mistakes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"Score: {self.marks}/{self.possible} marks ({self.right} of {self.answered} answered right, "
                f"{self.skipped} skipped)")


def run_practice(problems: list[Problem], count: int, seed: int | None, read: Callable[[], str | None]) -> Score:
    """Ask up to `count` problems drawn by `seed`; `read` returns the next answer line, None at end of input."""
    if not problems:
        raise UsageError("no problems to practise: check the topic names with `gengrade list`")
    seed = random.SystemRandom().randrange(2**31) if seed is None else seed
    rng = random.Random(f"practice:{seed}")
    chosen = rng.sample(problems, min(count, len(problems)))
    click.echo(f"Practice: {len(chosen)} problems (seed {seed}; repeat them with --seed {seed}). "
               "Type your answer, `skip`, or `quit`.")
    score = Score()
    for number, problem in enumerate(chosen, 1):
        variant = sample(problem, rng.randrange(2**31))
        if not _ask(variant, f"[{number}/{len(chosen)}]", read, score):
            break
        click.echo(score.line())
    click.echo(click.style("\nDone. ", bold=True) + score.line())
    if score.mistakes:
        click.echo("Review: " + ", ".join(score.mistakes))
    return score


def _ask(variant: Variant, counter: str, read: Callable[[], str | None], score: Score) -> bool:
    """One problem: prompt until the answer is readable; False when the student quits."""
    seed = f", seed {variant.seed}" if variant.seed is not None else ""
    click.echo(click.style(f"\n{counter} {variant.problem_id}: {variant.title} "
                           f"({variant.topic}, {variant.marks} mark{'s' * (variant.marks > 1)}{seed})", bold=True))
    click.echo(show_problem(variant))
    how = HOW[variant.type].format(", ".join(variant.variables))
    while True:
        click.echo(f"Your answer ({how}): ", nl=False)
        line = read()
        if line is None or line.strip().lower() in QUIT:
            click.echo()
            return False
        click.echo(line.strip())
        if line.strip().lower() in SKIP:
            score.skipped += 1
            break
        try:
            result = check_answer(variant, line)
        except UsageError as exc:
            click.echo(f"Cannot read that: {exc}")
            continue
        _record(variant, result, score)
        break
    click.echo(show_solution(variant))
    return True


def _record(variant: Variant, result: AnswerResult, score: Score) -> None:
    click.echo(show_result(result))
    score.answered += 1
    score.possible += variant.marks
    if result.correct:
        score.right += 1
        score.marks += variant.marks
    elif result.misconception:
        score.mistakes.append(f"{result.misconception} ({variant.problem_id})")
