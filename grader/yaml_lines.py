"""Read a YAML file with the line of every key and list item, for FILE:LINE messages.

The problem bank and exam blueprints both point at the line a mistake is on. The file is
parsed once (libyaml when present): its node tree gives the lines, and the same tree is
constructed into plain Python data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from grader.errors import UsageError

SYNTAX_ERROR = "{where}: malformed YAML: {problem}"  # the caller may phrase it its own way
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Document:
    data: object
    lines: dict[tuple, int]  # ("sections", 0, "count") -> 1-based line of that key or list item
    duplicates: tuple[tuple[tuple, int, int], ...]  # (key path, its line, the line of the first one)
    start: int  # the line where the content begins (after leading comments)


def read(path: Path, syntax_error: str = SYNTAX_ERROR) -> Document:
    """Parse one YAML file; an unreadable file or bad syntax is a UsageError naming file and line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None
    lines: dict[tuple, int] = {}
    duplicates: list[tuple[tuple, int, int]] = []
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Document(None, lines, (), 1)
        _walk(node, (), lines, duplicates)  # first: constructing data expands `<<` merge keys in the tree
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise UsageError(syntax_error.format(where=where, problem=getattr(exc, "problem", None) or exc)) from None
    finally:
        loader.dispose()
    return Document(data, lines, tuple(duplicates), node.start_mark.line + 1)


def _walk(node: yaml.Node, path: tuple, lines: dict, duplicates: list) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue  # a list or mapping used as a key has no name to report
            sub = path + (key.value,)
            if sub in lines:
                duplicates.append((sub, key.start_mark.line + 1, lines[sub]))
            lines[sub] = key.start_mark.line + 1
            _walk(value, sub, lines, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line + 1
            _walk(item, path + (index,), lines, duplicates)
