"""Take from a notebook's code cells the code a check needs, by one documented rule:

- a code cell tagged `gengrade-skip` is left out whole;
- IPython magics (`%...`, `%%...` cells) and shell lines (`!...`) are dropped;
- from every other cell, the top-level imports (except of gengrade's own `grader`), function and
  class definitions, and assignments whose value calls nothing (constants such as `EPS = 1e-8` or `SIZES = (2, 3)`) are kept, in
  notebook order, so later definitions replace earlier ones, as in the kernel; everything else
  (calls, loops, prints, plots, training runs) is an experiment and left out;
- a cell that does not parse is left out, unless it is the only one defining the function: then
  its syntax error is what the check reports, at that cell's line.

The result is one Python source and a map from its lines back to (cell, line), so that every
line a report names is the notebook's.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from grader.errors import UsageError

SKIP_TAG = "gengrade-skip"
METADATA_KEY = "gengrade"
MAGIC = re.compile(r"^\s*[%!]")


@dataclass
class Extracted:
    """The source a check imports and where each of its lines came from: (cell number, line)."""

    source: str = ""
    origin: list[tuple[int, int]] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # cells left out because they do not parse

    def add(self, cell: int, first_line: int, code: str) -> None:
        for offset, line in enumerate(code.splitlines()):
            self.source += line + "\n"
            self.origin.append((cell, first_line + offset))

    def where(self, line: int) -> tuple[int, int] | None:
        return self.origin[line - 1] if 1 <= line <= len(self.origin) else None


def read_cells(path: Path) -> tuple[list[dict], dict]:
    """(the notebook's cells, its metadata), any nbformat version; UsageError naming the file."""
    import nbformat

    try:
        notebook = nbformat.read(str(path), as_version=4)
    except (OSError, ValueError, json.JSONDecodeError, nbformat.reader.NotJSONError) as exc:
        raise UsageError(f"{path}: not a readable notebook ({exc}); save it again from Jupyter or Colab") from None
    return list(notebook.cells), dict(notebook.metadata)


def exercise_of(metadata: dict) -> str | None:
    """The exercise id a notebook names in its metadata (`"gengrade": {"exercise": "c1"}`)."""
    entry = metadata.get(METADATA_KEY)
    return entry.get("exercise") if isinstance(entry, dict) and isinstance(entry.get("exercise"), str) else None


def code_cells(cells: list[dict]) -> list[tuple[int, str]]:
    """(cell number, 1-based over every cell as the notebook shows them, and code) of the code
    cells not tagged gengrade-skip, cleaned by `without_magics`."""
    out = []
    for number, cell in enumerate(cells, start=1):
        if cell.get("cell_type") != "code" or SKIP_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        source = cell.get("source", "")
        code = without_magics("".join(source) if isinstance(source, list) else source)
        if code is not None:
            out.append((number, code))
    return out


def without_magics(source: str) -> str | None:
    """A cell's code with IPython magics and shell lines blanked (its line numbers hold), or None
    for a cell magic (`%%...`), whose whole cell is for IPython."""
    if source.lstrip().startswith("%%"):
        return None
    return "\n".join("" if MAGIC.match(line) else line for line in source.splitlines())


def extract(cells: list[tuple[int, str]], function: str) -> Extracted:
    """The definitions of `cells` that the check needs (see the module's rule)."""
    result = Extracted()
    broken: list[tuple[int, str]] = []
    for number, code in cells:
        try:
            tree = ast.parse(code)
        except SyntaxError:
            broken.append((number, code))
            continue
        lines = code.splitlines()
        for node in tree.body:
            if kept(node):
                start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
                result.add(number, start, "\n".join(lines[start - 1:node.end_lineno]))
    defines = re.compile(rf"^\s*def\s+{re.escape(function)}\s*\(", re.M)
    if not re.search(defines, result.source):
        for number, code in broken:
            if defines.search(code):
                result.add(number, 1, code)  # its syntax error is the report, at this cell's line
                break
    result.skipped = [number for number, _ in broken]
    return result


def kept(node: ast.stmt) -> bool:
    """Imports (but not of gengrade's own package, a tool of the notebook), definitions and
    assignments that call nothing: what a check may run at import."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
        return not any(name == "grader" or name.startswith("grader.") for name in names)
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        return not any(isinstance(n, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr))
                       for n in ast.walk(node.value))
    return False


def relocate(text: str, extracted: Extracted, generated: str, notebook: str, unit: str = "cell {}") -> str:
    """`text` with every line of the generated file it names (`GENERATED, line N` and `(line N:`)
    named as the notebook's cell (`unit` formats its number) and line."""
    def cell_line(line: str) -> str | None:
        place = extracted.where(int(line))
        return f"{unit.format(place[0])}, line {place[1]}" if place else None

    def named(match: re.Match) -> str:
        place = cell_line(match.group(1))
        return f"{notebook}, {place}" if place else match.group(0)

    def short(match: re.Match) -> str:
        place = cell_line(match.group(1))
        return f"({place}:" if place else match.group(0)

    text = re.sub(rf"(?:[^\s(]*/)?{re.escape(generated)}, line (\d+)", named, text)
    text = re.sub(rf"[^\s(]*/{re.escape(generated)}\b", notebook, text)  # the generated file, by its path
    return re.sub(r"\(line (\d+):", short, text)
