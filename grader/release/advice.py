"""Which known mistakes a release may explain: those its public checks can name.

An exercise's misconceptions.toml holds a summary and a hint for every known mistake, and
a hint often says how to write the solution. A release keeps only the entries whose id the
public checks can raise: an id written in the public module or its probes, or in a
`grader.check.expect` helper the public module calls (followed through the helpers it calls
in turn). The hidden checks' mistakes stay with the hidden checks, and so does any entry
that quotes a line of the reference solution the stub does not already show.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import grader.check
from grader.check.misconceptions import Misconception
from grader.release.public_suite import Module

EXPECT = "grader.check.expect"  # read, not imported: importing it imports torch
BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
SHORTEST_QUOTE = 16  # shorter reference lines (`return mu`, `else:`) say nothing on their own


def public_mistakes(public_text: str, probes_text: str, known: set[str]) -> set[str]:
    """The ids of `known` that the public module (with its probes) can name."""
    public = ast.parse(public_text)
    found = _strings(public) | _strings(ast.parse(probes_text)) | _helper_strings(_expect_names(public))
    return found & known


def quotes_reference(entry: Misconception, reference: str, stub: str) -> bool:
    """Whether the entry's summary or hint holds a line of the reference that the stub lacks."""
    shown = {line.strip() for line in stub.splitlines()}
    text = f"{entry.summary}\n{entry.hint}"
    return any(len(line) >= SHORTEST_QUOTE and line not in shown and line in text
               for line in (raw.strip() for raw in reference.splitlines()))


def misconceptions_toml(entries: list[Misconception]) -> str:
    """The entries as misconceptions.toml text (`[id]` tables with `summary` and `hint`)."""
    blocks = []
    for m in entries:
        key = m.id if BARE_KEY.fullmatch(m.id) else json.dumps(m.id)
        blocks.append(f"[{key}]\nsummary = {json.dumps(m.summary)}\nhint = {json.dumps(m.hint)}\n")
    return "\n".join(blocks)


def _strings(tree: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _expect_names(tree: ast.Module) -> set[str]:
    """Names of grader.check.expect the module uses: `expect.name`, or imported from it."""
    names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)
             and isinstance(n.value, ast.Name) and n.value.id == "expect"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == EXPECT:
            names |= {a.name for a in node.names}
    return names


def _helper_strings(names: set[str]) -> set[str]:
    """String constants of those expect helpers and everything they call there."""
    path = Path(grader.check.__file__).with_name("expect.py")
    module = Module(path.read_text(encoding="utf-8"), path)
    kept = module.closure([node for name in names for node in module.defines.get(name, [])])
    return set().union(*(_strings(node) for node in kept))
