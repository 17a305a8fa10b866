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
```
Every error names the file and the YAML line, so a typo is fixed before a paper prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from grader.errors import UsageError

EXAM_TYPES = ("mcq", "msq", "nat")
TOP_KEYS = {"title", "duration", "instructions", "seed", "sections"}
SECTION_KEYS = {"title", "instructions", "topics", "problems", "types", "count", "marks"}


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


@dataclass(frozen=True)
class Blueprint:
    title: str
    duration: str
    instructions: str
    seed: int | None
    sections: tuple[Section, ...]
    source: str  # file name (no folders: manifests must not depend on where a file lived)


class _LineDict(dict):
    """A mapping that remembers the line of each key (1-based)."""

    line = 0
    lines: dict


class _Loader(yaml.SafeLoader):
    """SafeLoader whose mappings carry line numbers."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _LineDict:
    out = _LineDict(loader.construct_mapping(node, deep=True))
    out.line = node.start_mark.line + 1
    out.lines = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> _LineDict:
    """Parse a YAML mapping with line numbers; errors name the file and line."""
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (safe loader)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise UsageError(f"{path}{where}: malformed YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, _LineDict):
        raise UsageError(f"{path}:1: expected a mapping with keys {', '.join(sorted(TOP_KEYS))}")
    return data


def load_blueprint(path: Path) -> Blueprint:
    """Read and validate a blueprint file."""
    path = Path(path)
    data = read_yaml(path)
    _check_keys(path, data, TOP_KEYS, "the blueprint", required=("title", "duration", "sections"))
    sections = data["sections"]
    if not isinstance(sections, list) or not sections:
        raise UsageError(f"{path}:{data.lines['sections']}: `sections` must be a non-empty list")
    seed = data.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or seed < 0):
        raise UsageError(f"{path}:{data.lines['seed']}: `seed` must be a non-negative integer, got {seed!r}")
    return Blueprint(
        title=_text(path, data, "title"), duration=_duration(path, data),
        instructions=_text(path, data, "instructions", required=False), seed=seed,
        sections=tuple(_section(path, entry, i, data.lines["sections"]) for i, entry in enumerate(sections)),
        source=path.name)


def _section(path: Path, entry: object, index: int, list_line: int) -> Section:
    """One `sections[i]` entry, validated."""
    where = f"sections[{index}]"
    if not isinstance(entry, _LineDict):
        raise UsageError(f"{path}:{list_line}: {where} must be a mapping with title, count and topics or problems")
    _check_keys(path, entry, SECTION_KEYS, where, required=("title", "count"))
    topics, problems = _names(path, entry, "topics", where), _names(path, entry, "problems", where)
    if bool(topics) == bool(problems):
        raise UsageError(f"{path}:{entry.line}: {where} needs exactly one of `topics` or `problems`")
    types = _names(path, entry, "types", where)
    for kind in types:
        if kind not in EXAM_TYPES:
            raise UsageError(f"{path}:{entry.lines['types']}: {where}.types: '{kind}' is not one of {', '.join(EXAM_TYPES)}")
    count = _positive(path, entry, "count", where)
    marks = _positive(path, entry, "marks", where) if "marks" in entry else None
    return Section(_text(path, entry, "title"), _text(path, entry, "instructions", required=False),
                   topics, problems, types, count, marks, entry.line)


def _check_keys(path: Path, data: _LineDict, allowed: set, where: str, required: tuple) -> None:
    for key in data:
        if key not in allowed:
            raise UsageError(f"{path}:{data.lines.get(key, data.line)}: unknown key '{key}' in {where}; "
                             f"expected one of {', '.join(sorted(allowed))}")
    for key in required:
        if key not in data:
            raise UsageError(f"{path}:{data.line}: {where} is missing `{key}`")


def _text(path: Path, data: _LineDict, key: str, required: bool = True) -> str:
    value = data.get(key, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise UsageError(f"{path}:{data.lines.get(key, data.line)}: `{key}` must be text, got {value!r}")
    return value.strip()


def _duration(path: Path, data: _LineDict) -> str:
    value = data["duration"]
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return f"{value} minutes"
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise UsageError(f"{path}:{data.lines['duration']}: `duration` must be minutes (a positive integer) or text")


def _names(path: Path, data: _LineDict, key: str, where: str) -> tuple[str, ...]:
    value = data.get(key, [])
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise UsageError(f"{path}:{data.lines.get(key, data.line)}: {where}.{key} must be a list of names")
    return tuple(v.strip() for v in value)


def _positive(path: Path, data: _LineDict, key: str, where: str) -> int:
    value = data[key]
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise UsageError(f"{path}:{data.lines[key]}: {where}.{key} must be a positive integer, got {value!r}")
    return value
