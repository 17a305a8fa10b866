"""Groups of related problems that must never share an exam paper.

Parts of one chapter exercise (b7a and b7b: one KL answers both) and problems that are the
same in effect (we3a and b5a; a family that can draw a chapter problem's very numbers) are
declared together in the bank's data:

```yaml
groups:
  - id: b7
    why: "parts of exercise B7: one KL answers both totals"
    problems: [b7a, b7b]
```
A problem may belong to several groups; a paper takes at most one problem of each group.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable, Mapping

from grader.bank.problem import Issue, field_name, line_of

KEYS = {"id": (str, True), "why": (str, True), "problems": (list, True)}


@dataclass(frozen=True)
class Group:
    id: str
    why: str
    problems: tuple[str, ...]
    file: str
    index: int  # position in the file's `groups` list
    lines: Mapping[tuple, int]

    def issue(self, path: tuple, message: str) -> Issue:
        full = ("groups", self.index, *path)
        return Issue(self.file, line_of(self.lines, full), field_name(full), message)


def read_groups(items: list, checker) -> list[Group]:
    """The valid `groups[i]` entries of one file; the checker (grader.bank.schema) collects issues."""
    out = []
    for i, raw in enumerate(items):
        path = ("groups", i)
        if not checker.keys(raw, KEYS, path):
            continue
        names = raw["problems"]
        if not all(isinstance(n, str) and n.strip() for n in names):
            checker.report(path + ("problems",), "must be a list of problem ids")
        elif len(set(names)) < 2 or len(set(names)) != len(names):
            checker.report(path + ("problems",), "needs two or more different problem ids, each once")
        else:
            out.append(Group(raw["id"], raw["why"], tuple(names), checker.file, i, checker.lines))
    return out


def unknown_members(groups: Iterable[Group], ids: Iterable[str]) -> list[Issue]:
    """An issue for every group member that names no problem of the bank (with close ids)."""
    known = set(ids)
    issues = []
    for group in groups:
        for j, name in enumerate(group.problems):
            if name not in known:
                close = difflib.get_close_matches(name, sorted(known), n=2, cutoff=0.6)
                hint = f"; did you mean {' or '.join(close)}?" if close else ""
                issues.append(group.issue(("problems", j), f"unknown problem id {name!r}{hint}"))
    return issues


def related(groups: Iterable[Group]) -> dict[str, frozenset[str]]:
    """Problem id -> the other problems it shares a group with."""
    out: dict[str, set[str]] = {}
    for group in groups:
        for name in group.problems:
            out.setdefault(name, set()).update(set(group.problems) - {name})
    return {name: frozenset(others) for name, others in out.items()}
