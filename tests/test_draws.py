"""grader.exam.draws: sha256-keyed seeds, permutations and choices, recomputed here with hashlib,
and the per-paper question counts they give an exam."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader.bank.variants import Option, Variant
from grader.errors import UsageError
from grader.exam.blueprint import load_blueprint
from grader.exam.draws import choose, derive_seed, digest, permutation
from grader.exam.papers import build_paper, plan_exam
from grader.exam.roster import Student

ITEMS = [f"p{i:02d}" for i in range(12)]


def sha(*parts: object) -> bytes:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()


def by_hand(items, k, *parts, key=str):
    """choose() from its definition: items ranked by sha256 of (parts, key), the first k."""
    return sorted(items, key=lambda item: sha(*parts, key(item)))[:k]


def test_digest_and_seed_are_sha256_of_the_joined_parts():
    assert digest(2025, "s1", "params", "we2") == sha(2025, "s1", "params", "we2")
    for parts in [(2025, "GM2025-001", "params", "gate-q1"), (0,), ("x", 1, "y")]:
        expected = int.from_bytes(sha(*parts)[:8], "big") >> 33
        assert derive_seed(*parts) == expected and 0 <= expected < 2**31
    assert derive_seed(2025, "GM2025-001", "params", "gate-q1") == 1342503353  # golden, any machine


def test_permutation_sorts_indices_by_their_digests():
    assert permutation(5, 2025, "GM2025-001", "options", "gate-q1") == [3, 0, 1, 4, 2]  # golden
    for n in (1, 4, 9):
        expected = sorted(range(n), key=lambda i: sha(7, "s", i))
        assert permutation(n, 7, "s") == expected and sorted(expected) == list(range(n))


def test_choose_golden_value():
    assert choose(ITEMS, 4, 2025, "section", 0) == by_hand(ITEMS, 4, 2025, "section", 0)
    assert choose(ITEMS, 4, 2025, "section", 0) == ["p06", "p05", "p04", "p07"]  # golden, any machine


def test_choose_ignores_the_input_order():
    expected = choose(ITEMS, 5, 1, "sheet")
    shuffled = ITEMS[:]
    for seed in range(5):
        random.Random(seed).shuffle(shuffled)
        assert choose(shuffled, 5, 1, "sheet") == expected
    assert choose(list(reversed(ITEMS)), 5, 1, "sheet") == expected


def test_choose_takes_the_first_k_of_one_keyed_order():
    ranked = choose(ITEMS, len(ITEMS), 3, "x")
    assert sorted(ranked) == ITEMS
    for k in range(len(ITEMS) + 1):
        picked = choose(ITEMS, k, 3, "x")
        assert picked == ranked[:k] == by_hand(ITEMS, k, 3, "x") and len(set(picked)) == k


def test_choose_depends_on_every_part_and_on_the_key():
    draws = {tuple(choose(ITEMS, 3, seed, "section", index)) for seed in (1, 2) for index in (0, 1)}
    assert len(draws) == 4

    @dataclass(frozen=True)
    class Problem:
        id: str

    problems = [Problem(name) for name in ITEMS]
    picked = choose(problems, 4, 2025, "section", 0, key=lambda p: p.id)
    assert [p.id for p in picked] == by_hand(ITEMS, 4, 2025, "section", 0)


BLUEPRINT = """
title: Counting
duration: 30
sections:
  - {title: A, topics: [gan], types: [mcq], count: 3, marks: 1}
  - {title: B, topics: [gan, vae], count: 2}
  - {title: C, problems: [vae-n0, vae-n1, vae-n2, vae-n3], count: 4, same_for_class: true}
"""
STUDENTS = ["s1", "s2", "s3", "s4", "s5", "s6"]


@dataclass(frozen=True)
class Problem:
    id: str
    topic: str
    type: str


class Bank:
    """Twenty problems: gan-m* (mcq), gan-n* and vae-n* (nat); gan-m0 and gan-m1 form a group."""

    problems = [Problem(f"gan-m{i}", "gan", "mcq") for i in range(6)] + \
        [Problem(f"{t}-n{i}", t, "nat") for t in ("gan", "vae") for i in range(7)]
    groups = {"gan-m0": frozenset({"gan-m1"}), "gan-m1": frozenset({"gan-m0"})}

    def select(self, topics=None, ids=None):
        chosen = [p for p in self.problems if not topics or p.topic in topics]
        return [p for p in chosen if not ids or p.id in ids]

    def related(self, problem_id):
        return self.groups.get(problem_id, frozenset())


def fake_sample(problem: Problem, seed: int) -> Variant:
    options = tuple(Option(str(i), i == 0) for i in range(4)) if problem.type == "mcq" else ()
    return Variant(problem.id, problem.id, problem.topic, problem.type, 2, {"s": str(seed)}, "?", "!", options)


def plan(tmp_path: Path, text: str = BLUEPRINT, seed: int = 2025):
    path = tmp_path / "bp.yaml"
    path.write_text(text, encoding="utf-8")
    return plan_exam(load_blueprint(path), Bank(), seed, path, STUDENTS)


def by_hand_paper(seed: int, sid: str) -> list[list[str]]:
    """A paper's problems from the definition: section C (same for the class) first, with the keyed
    order of (seed, "section", 2); then A and B in the order keyed by (seed, student, "section", i),
    skipping what is taken and the group partner of what is taken."""
    pools = [[p.id for p in Bank.problems if p.type == "mcq"], [p.id for p in Bank.problems],
             ["vae-n0", "vae-n1", "vae-n2", "vae-n3"]]
    shared = by_hand(pools[2], 4, seed, "section", 2)
    taken, paper = set(shared), []
    for index, count in ((0, 3), (1, 2)):
        picked = []
        for pid in by_hand(pools[index], len(pools[index]), seed, sid, "section", index):
            if len(picked) < count and pid not in taken:
                picked.append(pid)
                taken |= {pid} | Bank().related(pid)
        paper.append(picked)
    return paper + [shared]


def test_each_student_draws_each_section_from_its_pool(tmp_path: Path):
    exam = plan(tmp_path)
    counts = [3, 2, 4]
    for sid in STUDENTS:
        drawn = [[p.id for p in section] for section in exam.chosen[sid]]
        assert drawn == by_hand_paper(2025, sid) and [len(d) for d in drawn] == counts
        ids = sum(drawn, [])
        assert len(set(ids)) == len(ids) and not {"gan-m0", "gan-m1"} <= set(ids)  # once each, groups apart
        paper = build_paper(exam, Student(sid, sid.upper(), 2), fake_sample)
        assert [q.number for q in paper.questions] == list(range(1, sum(counts) + 1))
        assert [q.section for q in paper.questions] == [i for i, c in enumerate(counts) for _ in range(c)]
        for index, section in enumerate(drawn):
            assert {q.variant.problem_id for q in paper.questions if q.section == index} == set(section)
        assert all(q.variant.marks == (1 if q.section == 0 else 2) for q in paper.questions)
    assert len({tuple(p.id for p in exam.chosen[sid][0]) for sid in STUDENTS}) > 1  # papers differ per student
    assert len({exam.chosen[sid][2] for sid in STUDENTS}) == 1  # but not in a section kept for the class


def test_a_group_is_never_split_across_one_paper(tmp_path: Path):
    text = BLUEPRINT.replace("count: 3, marks: 1", "count: 5, marks: 1")  # six mcqs, two of them a group
    exam = plan(tmp_path, text)
    for sid in STUDENTS:
        ids = {p.id for p in exam.chosen[sid][0]}
        assert len(ids) == 5 and len(ids & {"gan-m0", "gan-m1"}) == 1
    with pytest.raises(UsageError, match=r"asks for 6 problems but only 5 fit on student s\d's paper"):
        plan(tmp_path, BLUEPRINT.replace("count: 3, marks: 1", "count: 6, marks: 1"))


def test_a_section_asking_for_more_than_its_pool_is_an_error(tmp_path: Path):
    with pytest.raises(UsageError, match="asks for 7 problems but only 6 match"):
        plan(tmp_path, BLUEPRINT.replace("count: 3", "count: 7"))


def test_ids_that_share_a_long_prefix_get_their_own_draws():
    """E-mail ids differ only at the end: every character of every part is hashed, none cut off."""
    ids = [f"firstname.lastname.{n}@students.example-university.edu" for n in range(40)]
    long_ids = [f"{'x' * 300}{n}" for n in range(40)]
    for group in (ids, long_ids):
        assert len({derive_seed(2025, sid, "params", "we2") for sid in group}) == len(group)
        assert len({tuple(permutation(6, 2025, sid, "options", "gate-q1")) for sid in group}) > 1
        assert len({tuple(choose(ITEMS, 4, 2025, sid, "section", 0)) for sid in group}) > 1
        assert all(digest(2025, sid, "slot") == sha(2025, sid, "slot") for sid in group)
    assert digest("a" * 64 + "1") != digest("a" * 64 + "2") and digest("x", "y" * 50 + "z") == sha("x", "y" * 50 + "z")


def test_sections_for_the_class_are_drawn_before_each_students_own(tmp_path: Path):
    """Section B draws from every problem; the class's section C takes four vae problems first,
    so no student's section B repeats them, whatever the blueprint order."""
    exam = plan(tmp_path)
    shared = {p.id for p in exam.chosen["s1"][2]}
    for sid in STUDENTS:
        assert not shared & {p.id for p in exam.chosen[sid][1]}
    with pytest.raises(UsageError, match="same_for_class must be true or false"):
        plan(tmp_path, BLUEPRINT.replace("same_for_class: true", "same_for_class: 1"))
