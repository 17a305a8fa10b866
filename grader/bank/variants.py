"""One drawn instance of a bank problem: what sheets, exams, marking and answers share."""

from __future__ import annotations

import re
from dataclasses import dataclass

LETTERS = "ABCDEFGHIJ"  # option labels, in order
_LETTER_LIST = re.compile(r"[\s{}\[\]()]*([A-Za-z](?:(?:[\s,;/+&]|\band\b)*[A-Za-z])*)[\s{}\[\]()]*", re.I)


def split_letters(text: str) -> list[str] | None:
    """Option letters as typed anywhere (answer command, practice, response sheets):
    "C", "a,c", "AC", "A and C", "{A, C}", "A/C", "A+C" -> upper-case letters; None if the
    text is not a list of letters. Which letters exist is the caller's to check."""
    match = _LETTER_LIST.fullmatch(text.strip())
    if not match:
        return None
    return [c.upper() for c in re.sub(r"\band\b", "", match.group(1), flags=re.I) if c.isalpha()]


@dataclass(frozen=True)
class Option:
    text: str  # rendered Markdown with $...$ LaTeX
    correct: bool
    misconception: str | None = None  # id of the mistake this distractor encodes
    feedback: str = ""
    value: str = ""  # sympy string of the option's value, when the bank gives one (typed answers match it)


@dataclass(frozen=True)
class Distractor:
    """A wrong nat/expr answer that a named mistake produces, with the feedback for it."""

    misconception: str
    value: str  # sympy string: a number (nat) or a formula in the variables (expr)
    feedback: str
    interval: tuple[float, float] | None = None  # nat: answers counted as this mistake


@dataclass(frozen=True)
class Variant:
    problem_id: str
    title: str
    topic: str
    type: str  # "mcq" (one correct), "msq" (one or more correct), "nat" (number), "expr" (formula)
    marks: int  # 1 or 2, as in GATE
    params: dict[str, str]  # parameter -> exact value, sympy-readable ("1/2", "0.02")
    stem: str  # rendered Markdown with $...$ LaTeX
    solution: str  # rendered worked solution
    options: tuple[Option, ...] = ()  # mcq/msq: in the bank's order, or as shown once `order` is set
    answer: float | None = None  # nat: the exact key, as a float
    answer_exact: str = ""  # nat/expr: sympy string of the exact key; mcq/msq: correct letters "B" / "A,C"
    interval: tuple[float, float] | None = None  # nat: accepted range, both ends included
    variables: tuple[str, ...] = ()  # expr: names a formula answer may use
    seed: int | None = None  # None for fixed problems (no parameters)
    distractors: tuple[Distractor, ...] = ()  # nat/expr: the bank's misconceptions for this instance
    order: tuple[int, ...] = ()  # shown position -> bank index (see bank.options.shuffled); () in bank order
