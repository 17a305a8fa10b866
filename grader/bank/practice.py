"""Self-study sessions: drawn problems one at a time, answers read line by line, instant feedback, a score.

Plain text through click.echo/click.style, so it works in a terminal and when answers are
piped in (`printf 'skip\\n2.75\\n' | gengrade practice ...`). Options come in the order the
problem's seed draws (see `grader.bank.options`), the same order `gengrade show` prints.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from typing import Callable

import click

from grader.bank.answers import AnswerResult, check_answer
from grader.bank.console import command, how_to_answer, show_header, show_problem, show_result, show_solution
from grader.bank.instance import present
from grader.bank.problem import Problem
from grader.bank.variants import Variant
from grader.errors import UsageError
from grader.seeds import fresh_seed

QUIT = {"quit", "q", "exit"}
SKIP = {"", "skip", "s"}


@dataclass
class Score:
    """Marks over every problem asked: a skipped problem counts as asked and scores 0."""

    marks: int = 0
    possible: int = 0
    right: int = 0
    wrong: int = 0
    skipped: int = 0
    mistakes: list[str] = field(default_factory=list)

    def line(self) -> str:
        asked = self.right + self.wrong + self.skipped
        return (f"Score: {self.marks}/{self.possible} marks over {asked} problem{'s' * (asked != 1)} asked "
                f"({self.right} right, {self.wrong} wrong, {self.skipped} skipped)")


def run_practice(problems: list[Problem], count: int, seed: int | None, read: Callable[[], str | None]) -> Score:
    """Ask up to `count` problems drawn by `seed`; `read` returns the next answer line, None at end of input."""
    if not problems:
        raise UsageError("no problems to practise: check the topic names with `gengrade list`")
    seed = fresh_seed() if seed is None else seed
    rng = random.Random(f"practice:{seed}")
    chosen = rng.sample(problems, min(count, len(problems)))
    click.echo(f"Practice: {len(chosen)} problems (seed {seed}; repeat them with --seed {seed}). "
               "Type your answer, `skip`, or `quit`.")
    score = Score()
    try:
        _session(chosen, rng, read, score)
    except KeyboardInterrupt:  # Ctrl-C ends the session as `quit` does: with the score so far
        click.echo()
    click.echo(click.style("\nDone. ", bold=True) + score.line())
    if score.mistakes:
        click.echo("Review: " + ", ".join(score.mistakes))
    return score


def _session(chosen: list[Problem], rng: random.Random, read: Callable[[], str | None], score: Score) -> None:
    for number, problem in enumerate(chosen, 1):
        variant = present(problem, rng.randrange(2**31))
        if not _ask(variant, f"[{number}/{len(chosen)}]", read, score):
            return
        click.echo(score.line())


def terminal_reader() -> Callable[[], str | None]:
    """Lines from stdin; on a terminal through readline, so arrow keys edit the line instead of
    arriving as escape text. None at the end of input."""
    if not sys.stdin.isatty():
        return lambda: sys.stdin.readline() or None
    try:
        import readline  # noqa: F401 - loading it gives input() line editing and history
    except ImportError:  # Windows' Python has none: plain input() still reads the line
        pass

    def read() -> str | None:
        try:
            return input()
        except EOFError:
            return None
    return read


def _ask(variant: Variant, counter: str, read: Callable[[], str | None], score: Score) -> bool:
    """One problem: prompt until the answer is readable; False when the student quits."""
    click.echo(click.style(f"\n{counter} {show_header(variant)}", bold=True))
    click.echo(show_problem(variant))
    while True:
        click.echo(f"Your answer ({how_to_answer(variant)}): ", nl=False)
        line = read()
        if line is None or line.strip().lower() in QUIT:
            click.echo()
            return False
        click.echo(line.strip())
        if line.strip().lower() in SKIP:
            _record(variant, None, score)
            break
        try:
            result = check_answer(variant, line)
        except UsageError as exc:
            click.echo(f"Cannot read that: {exc}")
            continue
        _record(variant, result, score)
        break
    click.echo(show_solution(variant))
    click.echo(f"(This problem again: {command('show', variant)})")
    return True


def _record(variant: Variant, result: AnswerResult | None, score: Score) -> None:
    """Count one asked problem; `result` is None when it was skipped."""
    score.possible += variant.marks
    if result is None:
        score.skipped += 1
        return
    click.echo(show_result(result))
    if result.correct:
        score.right += 1
        score.marks += variant.marks
        return
    score.wrong += 1
    if result.misconception:
        score.mistakes.append(f"{result.misconception} ({variant.problem_id})")
