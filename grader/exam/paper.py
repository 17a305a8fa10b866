"""A printed paper: drawn variants in their printed order, with their options shuffled.

These records are what `exam` builds, `render` prints and `manifest` stores; they hold
no behaviour beyond reading letters off the shuffle.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.bank.variants import Option, Variant

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Question:
    number: int  # 1-based, as printed (Q1, Q2, ...)
    section: int  # index into Paper.sections
    variant: Variant  # options in the bank's order
    seed: int  # the seed the variant was drawn with
    order: tuple[int, ...]  # printed position -> bank index of the option shown there

    @property
    def options(self) -> tuple[Option, ...]:
        """The options as printed: A is `options[0]`."""
        return tuple(self.variant.options[i] for i in self.order)

    @property
    def letters(self) -> str:
        """Correct letters as printed on this paper, e.g. "B" or "A,C"; "" for nat/expr."""
        return ",".join(LETTERS[pos] for pos, opt in enumerate(self.options) if opt.correct)


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
