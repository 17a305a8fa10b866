"""Per-student papers: which problems, which parameters, in which order, with which options.

Everything random about a paper is a function of (exam seed, student id, ...), hashed with
sha256 (`grader.exam.draws`), so the papers of a class can be rebuilt, one student at a time, on
any machine. Each student draws each section's problems from the section's pool (R/exams'
model), so two papers share few identical questions; a section marked `same_for_class` draws
once for the whole class (fair papers, comparable items). A paper never holds one problem
twice, nor two problems of one bank group (parts of one exercise, problems the same in effect).
Per student, the parameters, the question order within each section and the option order
differ as well.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from grader.exam.blueprint import EXAM_TYPES, Blueprint, Section
from grader.exam.draws import choose, derive_seed, permutation
from grader.errors import UsageError
from grader.exam.paper import Paper, Question, SectionHead
from grader.exam.roster import Student

Sampler = Callable[[Any, int], Any]  # bank.sample(problem, seed) -> Variant
Drawn = tuple[tuple[Any, ...], ...]  # per section, the problems of one paper


@dataclass(frozen=True)
class Plan:
    """An exam's problems: its blueprint, seed, each section's pool and each student's draw."""

    blueprint: Blueprint
    seed: int
    pools: tuple[tuple[Any, ...], ...]  # per section, in blueprint order
    chosen: Mapping[str, Drawn]  # student id -> the problems of that student's paper


def plan_exam(blueprint: Blueprint, bank: Any, seed: int, path: Path, students: Sequence[str]) -> Plan:
    """Draw every student's problems; UsageError names a section that cannot fill a paper."""
    pools = tuple(tuple(section_pool(section, bank, path)) for section in blueprint.sections)
    for section, pool in zip(blueprint.sections, pools):
        if len(pool) < section.count:
            raise UsageError(f"{path}:{section.line}: section '{section.title}' asks for {section.count} "
                             f"problems but only {len(pool)} match")
    shared: dict[int, tuple[Any, ...]] = {}
    blocked: set[str] = set()  # drawn for the class first, so that every student's own draws avoid them
    for index, section in enumerate(blueprint.sections):
        if section.same_for_class:
            shared[index] = _pick(pools[index], section, blocked, bank.related, (seed, "section", index), path)
    chosen = {}
    for student in students:
        mine = set(blocked)
        chosen[student] = tuple(shared[index] if index in shared else
                                _pick(pools[index], section, mine, bank.related, (seed, student, "section", index),
                                      path, student)
                                for index, section in enumerate(blueprint.sections))
    return Plan(blueprint, seed, pools, chosen)


def _pick(pool: Sequence[Any], section: Section, blocked: set[str], related: Callable[[str], frozenset[str]],
          parts: tuple, path: Path, student: str | None = None) -> tuple[Any, ...]:
    """The first `section.count` problems of the pool, in the order keyed by `parts`, that no earlier
    pick blocks; each pick blocks itself and the problems related to it (updates `blocked`)."""
    picked = []
    for problem in choose(pool, len(pool), *parts, key=lambda p: p.id):
        if len(picked) == section.count:
            break
        if problem.id not in blocked:
            picked.append(problem)
            blocked.update({problem.id} | related(problem.id))
    if len(picked) < section.count:
        whose = f"student {student}'s paper" if student else "the class's papers"
        raise UsageError(f"{path}:{section.line}: section '{section.title}' asks for {section.count} problems but "
                         f"only {len(picked)} fit on {whose}: the others were taken by earlier sections or are "
                         "related to those taken (the bank's groups); widen the section or ask for fewer")
    return tuple(picked)


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
    """One student's paper: own problems, parameters, question order per section and option order."""
    bp, questions = plan.blueprint, []
    for index, (section, problems) in enumerate(zip(bp.sections, plan.chosen[student.student_id])):
        for position in permutation(len(problems), plan.seed, student.student_id, "order", index):
            problem = problems[position]
            questions.append(draw_question(problem, len(questions) + 1, index, plan.seed,
                                           student.student_id, sample, section.marks))
    heads = tuple(SectionHead(s.title, s.instructions) for s in bp.sections)
    return Paper(bp.title, bp.duration, bp.instructions, student.student_id, student.name, heads, tuple(questions))


def draw_question(problem: Any, number: int, section: int, seed: int, student_id: str,
                  sample: Sampler, marks: int | None = None) -> Question:
    """Sample one variant for this (exam seed, student, problem) and shuffle its options."""
    variant_seed = question_seed(seed, student_id, problem.id)
    variant = sample(problem, variant_seed)
    if marks is not None and marks != variant.marks:
        variant = replace(variant, marks=marks)
    order = tuple(permutation(len(variant.options), seed, student_id, "options", problem.id))
    return Question(number, section, variant, variant_seed, order)


def question_seed(seed: int, student_id: str, problem_id: str) -> int:
    """The seed of the parameters a student's paper draws for a problem."""
    return derive_seed(seed, student_id, "params", problem_id)


def build_sheet(problems: Sequence[Any], seed: int, title: str, sample: Sampler) -> Paper:
    """A practice sheet: the given problems in a seeded order, one section, no student."""
    order = permutation(len(problems), seed, "sheet", "order")
    questions = tuple(draw_question(problems[pos], n, 0, seed, "sheet", sample)
                      for n, pos in enumerate(order, start=1))
    instructions = "Answer every question; the key and worked solutions are in a separate file."
    return Paper(title, "as long as you need", instructions, "", "", (SectionHead("Questions", ""),), questions)
