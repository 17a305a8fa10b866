"""Known mistakes of an exercise, kept as data beside its reference solution."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from grader.errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class Misconception:
    id: str
    summary: str
    hint: str

    def advice(self) -> str:
        return f"Looks like: {self.summary}.\nHint: {self.hint}"


def load_misconceptions(path: Path) -> dict[str, Misconception]:
    """`[id]` tables with `summary` and `hint` strings."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path}: {exc}") from None
    out = {}
    for key, entry in data.items():
        if not (isinstance(entry, dict) and isinstance(entry.get("summary"), str) and isinstance(entry.get("hint"), str)):
            raise UsageError(f"{path}: [{key}] needs string fields `summary` and `hint`")
        out[key] = Misconception(key, entry["summary"], entry["hint"])
    return out
