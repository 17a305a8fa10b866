"""The problem bank: read the YAML files once, check them, select problems by topic or id.

Reading needs neither sympy nor Jinja (they load when a problem is first drawn), so
`gengrade list` stays cheap; drawing instances lives in `grader.bank.instance`.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Iterable

from grader.bank.groups import Group, related, unknown_members
from grader.bank.problem import BankInvalid, Issue, Problem
from grader.bank.schema import read_file
from grader.errors import UsageError


@dataclass(frozen=True)
class Bank:
    root: Path
    problems: dict[str, Problem]
    groups: tuple[Group, ...] = ()

    def related(self, problem_id: str) -> frozenset[str]:
        """The problems that share a group with `problem_id` (never on one paper with it)."""
        return self._related.get(problem_id, frozenset())

    @cached_property
    def _related(self) -> dict[str, frozenset[str]]:
        return related(self.groups)

    def topics(self) -> dict[str, int]:
        """Topic -> number of problems, sorted by topic."""
        return dict(sorted(Counter(p.topic for p in self.problems.values()).items()))

    def get(self, problem_id: str) -> Problem:
        if problem_id not in self.problems:
            raise UsageError(f"unknown problem id {problem_id!r}{_suggest(problem_id, self.problems)}")
        return self.problems[problem_id]

    def select(self, topics: Iterable[str] | None = None, ids: Iterable[str] | None = None) -> list[Problem]:
        """Problems of the given topics and/or ids (bank order); UsageError names an unknown one."""
        chosen = list(self.problems.values())
        if topics:
            known = self.topics()
            for topic in topics:
                if topic not in known:
                    raise UsageError(f"unknown topic {topic!r}{_suggest(topic, known)}; topics: {', '.join(known)}")
            chosen = [p for p in chosen if p.topic in set(topics)]
        if ids:
            wanted = [self.get(i) for i in ids]
            chosen = [p for p in wanted if p in chosen]
        return chosen


def _suggest(word: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(known), n=3, cutoff=0.5)
    return f"; did you mean {' or '.join(close)}?" if close else ""


@dataclass(frozen=True)
class Contents:
    """What a file or folder of the bank holds: valid problems and groups, the issues, the files read."""

    problems: list[Problem]
    groups: list[Group]
    issues: list[Issue]
    files: int


def read_bank(path: Path) -> Contents:
    """Problems, groups and issues of a file or a folder of *.yaml files."""
    if not path.exists():
        raise UsageError(f"{path}: no such file or folder")
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))
    problems, groups, issues, first = [], [], [], {}
    for file in files:
        found, grouped, wrong = read_file(file)
        groups += grouped
        issues += wrong
        for problem in found:
            if problem.id in first:
                issues.append(problem.origin.issue(("id",), f"{problem.id!r} is already used at {first[problem.id]}"))
            else:
                first[problem.id] = f"{file}:{problem.origin.lines[('problems', problem.origin.index, 'id')]}"
                problems.append(problem)
    issues += unknown_members(groups, first)
    return Contents(problems, groups, issues, len(files))


def default_root() -> Path:
    from grader.course import course_root

    return course_root() / "problem_bank"


def load_bank(root: Path | None = None) -> Bank:
    """The bank under `root` (default: the course's problem_bank/), read once per process."""
    return _load(Path(root or default_root()).resolve())


@lru_cache(maxsize=8)
def _load(root: Path) -> Bank:
    contents = read_bank(root)
    if contents.issues:
        raise BankInvalid(contents.issues)
    return Bank(root, {p.id: p for p in contents.problems}, tuple(contents.groups))
