"""A printed paper: drawn variants in their printed order, with their options shuffled.

These records are what `exam` builds, `render` prints and `manifest` stores; the shuffle
itself (options, key letters, relabelled solution) is `grader.bank.options.shuffled`, the
same code that orders options for `show`, `answer` and `practice`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from grader.bank.options import shuffled
from grader.bank.variants import LETTERS, Option, Variant


@dataclass(frozen=True)
class Question:
    number: int  # 1-based, as printed (Q1, Q2, ...)
    section: int  # index into Paper.sections
    variant: Variant  # options in the bank's order
    seed: int  # the seed the variant was drawn with
    order: tuple[int, ...]  # printed position -> bank index of the option shown there

    @cached_property
    def shown(self) -> Variant:
        """The variant as printed: options in `order`, letters in its key and solution to match."""
        return shuffled(self.variant, self.order)

    @property
    def options(self) -> tuple[Option, ...]:
        """The options as printed: A is `options[0]`."""
        return self.shown.options

    @property
    def letters(self) -> str:
        """Correct letters as printed on this paper, e.g. "B" or "A,C"; "" for nat/expr."""
        return self.shown.answer_exact if self.options else ""


@dataclass(frozen=True)
class SectionHead:
    title: str
    instructions: str


@dataclass(frozen=True)
class Paper:
    title: str
    duration: str
    instructions: str
    student_id: str  # "" for a practice sheet
    name: str
    sections: tuple[SectionHead, ...]
    questions: tuple[Question, ...]

    @property
    def total_marks(self) -> int:
        return sum(q.variant.marks for q in self.questions)
