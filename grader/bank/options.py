"""Options in the order a student sees them, with the option letters in texts rewritten to match.

The bank keeps options in the author's order, which often puts the key first. Wherever a
student sees options (show, answer, practice, sheets, papers) they come in an order drawn
from a seed, so the key's position carries no information. `shuffled` is the one place that
reorders options and rewrites "option B" in solutions and feedback to the letter shown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from grader.exam.draws import permutation
from grader.bank.variants import LETTERS, Variant

# "option C", "options A and D" in a solution or feedback
OPTION_REF = re.compile(r"\b([Oo]ptions?) ([A-J](?:(?:, | and | or |, and |/)[A-J])*)\b")
# The seed chapter prints these questions with their letters; shown without --seed they keep them.
CHAPTER_LETTERS = re.compile(r"gate-q\d+")
DEFAULT_SEED = 0  # any other question shown without --seed: the order seed 0 draws


def relabel(text: str, order: Sequence[int]) -> str:
    """"(option B)" in a bank text names a bank letter; say the letter shown in `order`."""
    if not order or "ption" not in text:
        return text
    shown = {LETTERS[index]: LETTERS[pos] for pos, index in enumerate(order)}

    def swap(match: re.Match) -> str:
        letters = re.sub(r"\b[A-J]\b", lambda x: shown.get(x.group(0), x.group(0)), match.group(2))
        return f"{match.group(1)} {letters}"

    return OPTION_REF.sub(swap, text)


def shuffled(variant: Variant, order: Sequence[int]) -> Variant:
    """`variant` with its options in `order` (shown position -> bank index): key letters,
    option feedback and worked solution say the letters shown."""
    if not variant.options:
        return variant
    if variant.order or sorted(order) != list(range(len(variant.options))):
        raise ValueError(f"{variant.problem_id}: {tuple(order)} does not reorder its options in the bank's order")
    options = tuple(replace(variant.options[i], feedback=relabel(variant.options[i].feedback, order)) for i in order)
    key = ",".join(LETTERS[pos] for pos, option in enumerate(options) if option.correct)
    return replace(variant, options=options, answer_exact=key, solution=relabel(variant.solution, order),
                   order=tuple(order))


def self_study_order(problem_id: str, count: int, seed: int | None) -> tuple[int, ...]:
    """The option order `show`, `answer` and `practice` use for (problem, seed)."""
    if seed is None:
        if CHAPTER_LETTERS.fullmatch(problem_id):
            return tuple(range(count))
        seed = DEFAULT_SEED
    return tuple(permutation(count, "self-study", problem_id, seed))
