"""Exam blueprints: a YAML file naming the title, duration, and what each section draws.

```yaml
title: Generative models, mid-semester
duration: 60            # minutes (or a phrase such as "1 hour")
instructions: |         # Markdown; optional
  Answer every question.
seed: 2025              # optional; `--seed` overrides it
sections:
  - title: Section A, one mark each
    topics: [gan, vae]   # or `problems: [gate-q1, we1]`
    types: [mcq]         # optional filter: mcq, msq, nat
    count: 4
    marks: 1             # optional: overrides each problem's own marks
    same_for_class: true # optional: one problem set for every student (default: drawn per student)
```
Each student draws a section's problems from its pool, so papers differ in their problems and
not only in their numbers; `same_for_class` keeps one set for the whole class instead.
Every error names the file and the YAML line, so a typo is fixed before a paper prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader import yaml_lines
from grader.errors import UsageError

EXAM_TYPES = ("mcq", "msq", "nat")
TOP_KEYS = {"title", "duration", "instructions", "seed", "sections"}
SECTION_KEYS = {"title", "instructions", "topics", "problems", "types", "count", "marks", "same_for_class"}


@dataclass(frozen=True)
class Section:
    title: str
    instructions: str
    topics: tuple[str, ...]
    problems: tuple[str, ...]
    types: tuple[str, ...]
    count: int
    marks: int | None
    line: int  # where the section starts in the YAML file, for later error messages
    same_for_class: bool = False  # one problem set for the class, not one per student


@dataclass(frozen=True)
class Blueprint:
    title: str
    duration: str
    instructions: str
    seed: int | None
    sections: tuple[Section, ...]
    source: str  # file name (no folders: manifests must not depend on where a file lived)


def load_blueprint(path: Path) -> Blueprint:
    """Read and validate a blueprint file."""
    path = Path(path)
    doc = yaml_lines.read(path)
    if not isinstance(doc.data, dict):
        raise UsageError(f"{path}:1: expected a mapping with keys {', '.join(sorted(TOP_KEYS))}")
    data = _Mapping(path, doc.data, doc.lines, (), doc.start)
    data.check_keys(TOP_KEYS, "the blueprint", required=("title", "duration", "sections"))
    sections = data["sections"]
    if not isinstance(sections, list) or not sections:
        raise data.fail("sections", "`sections` must be a non-empty list")
    seed = data.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or seed < 0):
        raise data.fail("seed", f"`seed` must be a non-negative integer, got {seed!r}")
    return Blueprint(
        title=data.text("title"), duration=_duration(data), instructions=data.text("instructions", required=False),
        seed=seed, sections=tuple(_section(data, i, entry) for i, entry in enumerate(sections)), source=path.name)


class _Mapping(dict):
    """One mapping of the file with where it is: its own line and the line of each key."""

    def __init__(self, path: Path, data: dict, lines: dict[tuple, int], at: tuple, line: int):
        super().__init__(data)
        self.path, self.lines, self.at, self.line = path, lines, at, line

    def line_of(self, key: str) -> int:
        """The line of `key`, or the mapping's own line if the key is missing."""
        return self.lines.get(self.at + (key,), self.line)

    def fail(self, key: str | None, message: str) -> UsageError:
        return UsageError(f"{self.path}:{self.line if key is None else self.line_of(key)}: {message}")

    def check_keys(self, allowed: set, where: str, required: tuple) -> None:
        for key in self:
            if key not in allowed:
                raise self.fail(key, f"unknown key '{key}' in {where}; expected one of {', '.join(sorted(allowed))}")
        for key in required:
            if key not in self:
                raise self.fail(None, f"{where} is missing `{key}`")

    def text(self, key: str, required: bool = True) -> str:
        value = self.get(key, None if required else "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(key, f"`{key}` must be text, got {value!r}")
        return value.strip()

    def names(self, key: str, where: str) -> tuple[str, ...]:
        value = self.get(key, [])
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, f"{where}.{key} must be a list of names")
        return tuple(v.strip() for v in value)

    def positive(self, key: str, where: str) -> int:
        value = self[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise self.fail(key, f"{where}.{key} must be a positive integer, got {value!r}")
        return value


def _section(blueprint: _Mapping, index: int, raw: object) -> Section:
    """One `sections[i]` entry, validated."""
    where = f"sections[{index}]"
    if not isinstance(raw, dict):
        raise blueprint.fail("sections", f"{where} must be a mapping with title, count and topics or problems")
    at = ("sections", index)
    entry = _Mapping(blueprint.path, raw, blueprint.lines, at, blueprint.lines[at])
    entry.check_keys(SECTION_KEYS, where, required=("title", "count"))
    topics, problems = entry.names("topics", where), entry.names("problems", where)
    if bool(topics) == bool(problems):
        raise entry.fail(None, f"{where} needs exactly one of `topics` or `problems`")
    types = entry.names("types", where)
    for kind in types:
        if kind not in EXAM_TYPES:
            raise entry.fail("types", f"{where}.types: '{kind}' is not one of {', '.join(EXAM_TYPES)}")
    count = entry.positive("count", where)
    marks = entry.positive("marks", where) if "marks" in entry else None
    shared = entry.get("same_for_class", False)
    if not isinstance(shared, bool):
        raise entry.fail("same_for_class", f"{where}.same_for_class must be true or false, got {shared!r}")
    return Section(entry.text("title"), entry.text("instructions", required=False),
                   topics, problems, types, count, marks, entry.line, shared)


def _duration(data: _Mapping) -> str:
    value = data["duration"]
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return f"{value} minutes"
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise data.fail("duration", "`duration` must be minutes (a positive integer) or text")
