"""One drawn instance of a bank problem: what sheets, exams, marking and answers share."""

from __future__ import annotations

from dataclasses import dataclass


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
    options: tuple[Option, ...] = ()  # mcq/msq, in the bank's order
    answer: float | None = None  # nat: the exact key, as a float
    answer_exact: str = ""  # nat/expr: sympy string of the exact key; mcq/msq: correct letters "B" / "A,C"
    interval: tuple[float, float] | None = None  # nat: accepted range, both ends included
    variables: tuple[str, ...] = ()  # expr: names a formula answer may use
    seed: int | None = None  # None for fixed problems (no parameters)
    distractors: tuple[Distractor, ...] = ()  # nat/expr: the bank's misconceptions for this instance
