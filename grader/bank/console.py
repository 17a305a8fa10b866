"""Terminal text for self-study: a problem, its key and worked solution, a verdict, the bank's ids.

`show`, `answer` and `practice` print through these, so a problem reads the same in all
three, and every hint names the exact command (with its seed) that reproduces the instance.
"""

from __future__ import annotations

import click

from grader.bank.answers import AnswerResult
from grader.bank.problem import Problem
from grader.bank.reading import number_text, range_ends
from grader.bank.terminal_math import key_text, to_terminal
from grader.bank.variants import LETTERS, Variant

KINDS = {"mcq": "one option", "msq": "one or more options", "nat": "numerical answer", "expr": "formula"}
HOW = {"mcq": "one letter", "msq": "one or more letters, e.g. A,C", "nat": "a number; fractions and expressions work",
       "expr": "a formula in {}"}


def show_header(variant: Variant) -> str:
    """"vae-kl-diag: KL term ... (vae, numerical answer, 2 marks, seed 3)"."""
    seed = f", seed {variant.seed}" if variant.seed is not None else ""
    marks = f"{variant.marks} mark{'s' * (variant.marks != 1)}"
    return f"{variant.problem_id}: {variant.title} ({variant.topic}, {KINDS[variant.type]}, {marks}{seed})"


def show_problem(variant: Variant) -> str:
    """The stem, then the options lettered as shown, maths as Unicode."""
    lines = [variant.stem]
    lines += [f"  ({LETTERS[j]}) {option.text}" for j, option in enumerate(variant.options)]
    return to_terminal("\n".join(lines))


def how_to_answer(variant: Variant) -> str:
    return HOW[variant.type].format(", ".join(variant.variables))


def command(verb: str, variant: Variant, *words: str) -> str:
    """The gengrade command that acts on this very instance: `words` then its --seed, if it has one."""
    seed = ("--seed", str(variant.seed)) if variant.seed is not None else ()
    return " ".join(("gengrade", verb, variant.problem_id, *words, *seed))


def show_solution(variant: Variant) -> str:
    return f"Key: {show_key(variant)}\nWorked solution:\n{to_terminal(variant.solution)}"


def show_key(variant: Variant) -> str:
    if variant.type == "expr":
        return key_text(variant.answer_exact)
    if variant.type != "nat":
        return variant.answer_exact
    approx, exact = number_text(variant.answer), key_text(variant.answer_exact)
    shown = approx if exact == approx or len(exact) > 40 else f"{exact} = {approx}"
    lo, hi = range_ends(*variant.interval)
    return f"{shown} (accepted: {lo} to {hi})"


def show_result(result: AnswerResult) -> str:
    mark = click.style("Right." if result.correct else "Wrong.", fg="green" if result.correct else "red", bold=True)
    return f"{mark} {to_terminal(result.message)}"


def problem_list(problems: list[Problem]) -> str:
    """The ids per topic, with type, marks and whether `--seed` picks the instance."""
    width = max((len(p.id) for p in problems), default=0)
    lines, topic = [], None
    for p in sorted(problems, key=lambda p: p.topic):  # stable: bank order within a topic
        if p.topic != topic:
            topic = p.topic
            count = sum(q.topic == topic for q in problems)
            lines.append(click.style(f"{topic} ({count} problem{'s' * (count != 1)})", bold=True))
        seeded = "fixed " if p.fixed else "seeded"
        lines.append(f"  {p.id:<{width}}  {p.type:<4} {p.marks}  {seeded}  {p.title}")
    return "\n".join(lines)
