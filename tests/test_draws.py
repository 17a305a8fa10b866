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
  - {title: C, problems: [vae-n0, vae-n1, vae-n2, vae-n3], count: 4}
"""


@dataclass(frozen=True)
class Problem:
    id: str
    topic: str
    type: str


class Bank:
    """Twenty problems: gan-m* (mcq), gan-n* and vae-n* (nat)."""

    problems = [Problem(f"gan-m{i}", "gan", "mcq") for i in range(6)] + \
        [Problem(f"{t}-n{i}", t, "nat") for t in ("gan", "vae") for i in range(7)]

    def select(self, topics=None, ids=None):
        chosen = [p for p in self.problems if not topics or p.topic in topics]
        return [p for p in chosen if not ids or p.id in ids]


def fake_sample(problem: Problem, seed: int) -> Variant:
    options = tuple(Option(str(i), i == 0) for i in range(4)) if problem.type == "mcq" else ()
    return Variant(problem.id, problem.id, problem.topic, problem.type, 2, {"s": str(seed)}, "?", "!", options)


def test_every_paper_has_the_blueprints_questions(tmp_path: Path):
    path = tmp_path / "bp.yaml"
    path.write_text(BLUEPRINT, encoding="utf-8")
    blueprint = load_blueprint(path)
    plan = plan_exam(blueprint, Bank(), 2025, path)
    counts = [s.count for s in blueprint.sections]
    assert [len(ps) for ps in plan.problems] == counts == [3, 2, 4]
    ids = [p.id for ps in plan.problems for p in ps]
    assert len(set(ids)) == len(ids)  # a problem is used once per exam
    pool_a = [p for p in Bank.problems if p.type == "mcq"]
    assert list(plan.problems[0]) == by_hand(pool_a, 3, 2025, "section", 0, key=lambda p: p.id)
    for sid in ("s1", "s2", "s3"):
        paper = build_paper(plan, Student(sid, sid.upper(), 2), fake_sample)
        assert len(paper.questions) == sum(counts)
        assert [q.number for q in paper.questions] == list(range(1, sum(counts) + 1))
        assert [q.section for q in paper.questions] == [i for i, c in enumerate(counts) for _ in range(c)]
        for index, problems in enumerate(plan.problems):
            drawn = {q.variant.problem_id for q in paper.questions if q.section == index}
            assert drawn == {p.id for p in problems}
        assert all(q.variant.marks == (1 if q.section == 0 else 2) for q in paper.questions)


def test_a_section_asking_for_more_than_its_pool_is_an_error(tmp_path: Path):
    path = tmp_path / "bp.yaml"
    path.write_text(BLUEPRINT.replace("count: 3", "count: 7"), encoding="utf-8")
    with pytest.raises(UsageError, match="asks for 7 problems but only 6 match"):
        plan_exam(load_blueprint(path), Bank(), 1, path)


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
