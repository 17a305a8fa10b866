"""Per-student papers: which problems, which parameters, in which order, with which options.

Everything random about a paper is a function of (exam seed, student id, slot), hashed
with sha256 (`grader.exam.draws`), so the papers of a class can be rebuilt, one student at a
time, on any machine. The *problems* of each section are drawn once per exam and shared
by every student (fair papers, comparable items); what differs per student are the
parameter draws, the order of the questions within each section, and the option order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from grader.exam.blueprint import EXAM_TYPES, Blueprint, Section
from grader.exam.draws import choose, derive_seed, permutation
from grader.errors import UsageError
from grader.exam.paper import Paper, Question, SectionHead
from grader.exam.roster import Student

Sampler = Callable[[Any, int], Any]  # bank.sample(problem, seed) -> Variant


@dataclass(frozen=True)
class Plan:
    """An exam before students: its blueprint, seed, and the problems each section uses."""

    blueprint: Blueprint
    seed: int
    problems: tuple[tuple[Any, ...], ...]  # per section, in blueprint order


def plan_exam(blueprint: Blueprint, bank: Any, seed: int, path: Path) -> Plan:
    """Draw each section's problems; a problem is used at most once per exam."""
    used: set[str] = set()
    chosen = []
    for index, section in enumerate(blueprint.sections):
        pool = [p for p in section_pool(section, bank, path) if p.id not in used]
        if len(pool) < section.count:
            raise UsageError(f"{path}:{section.line}: section '{section.title}' asks for {section.count} "
                             f"problems but only {len(pool)} match (after earlier sections took theirs)")
        picked = choose(pool, section.count, seed, "section", index, key=lambda p: p.id)
        used.update(p.id for p in picked)
        chosen.append(tuple(picked))
    return Plan(blueprint, seed, tuple(chosen))


def section_pool(section: Section, bank: Any, path: Path) -> list:
    """The problems a section may draw from, checked against the bank."""
    try:
        pool = bank.select(ids=list(dict.fromkeys(section.problems))) if section.problems else \
            bank.select(topics=list(section.topics))
    except UsageError as exc:  # the bank names the unknown id or topic and suggests close ones
        raise UsageError(f"{path}:{section.line}: section '{section.title}': {exc}") from None
    wrong = [p for p in pool if section.problems and p.type not in EXAM_TYPES]
    if wrong:
        raise UsageError(f"{path}:{section.line}: '{wrong[0].id}' is a {wrong[0].type} problem; "
                         f"papers take {', '.join(EXAM_TYPES)}")
    types = section.types or EXAM_TYPES
    return [p for p in pool if p.type in types]


def build_paper(plan: Plan, student: Student, sample: Sampler) -> Paper:
    """One student's paper: own parameters, own question order per section, own option order."""
    bp, questions = plan.blueprint, []
    for index, (section, problems) in enumerate(zip(bp.sections, plan.problems)):
        for position in permutation(len(problems), plan.seed, student.student_id, "order", index):
            problem = problems[position]
            questions.append(draw_question(problem, len(questions) + 1, index, plan.seed,
                                           student.student_id, sample, section.marks))
    heads = tuple(SectionHead(s.title, s.instructions) for s in bp.sections)
    return Paper(bp.title, bp.duration, bp.instructions, student.student_id, student.name, heads, tuple(questions))


def draw_question(problem: Any, number: int, section: int, seed: int, student_id: str,
                  sample: Sampler, marks: int | None = None) -> Question:
    """Sample one variant for this (exam seed, student, problem) and shuffle its options."""
    variant_seed = derive_seed(seed, student_id, "params", problem.id)
    variant = sample(problem, variant_seed)
    if marks is not None and marks != variant.marks:
        variant = replace(variant, marks=marks)
    order = tuple(permutation(len(variant.options), seed, student_id, "options", problem.id))
    return Question(number, section, variant, variant_seed, order)


def build_sheet(problems: Sequence[Any], seed: int, title: str, sample: Sampler) -> Paper:
    """A practice sheet: the given problems in a seeded order, one section, no student."""
    order = permutation(len(problems), seed, "sheet", "order")
    questions = tuple(draw_question(problems[pos], n, 0, seed, "sheet", sample)
                      for n, pos in enumerate(order, start=1))
    instructions = "Answer every question; the key and worked solutions are in a separate file."
    return Paper(title, "as long as you need", instructions, "", "", (SectionHead("Questions", ""),), questions)
