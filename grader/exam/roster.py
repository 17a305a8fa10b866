"""CSV rosters and response sheets, read strictly: each error names the file and the row.

Rows are counted as a spreadsheet shows them: the header is row 1, the first student row 2.
Both files are UTF-8 (a byte-order mark from a spreadsheet export is accepted); columns
other than the ones a command needs are kept and ignored.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from grader.errors import UsageError

# Paper file names are built from student ids, so ids must be safe as file names.
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}")
SHOWN = 20  # bad rows listed in one error; the rest are counted


def raise_all(problems: list[str]) -> None:
    """One UsageError listing every problem found (the first SHOWN of them), so one run names them all."""
    if problems:
        more = [f"... and {len(problems) - SHOWN} more"] if len(problems) > SHOWN else []
        raise UsageError("\n".join(problems[:SHOWN] + more))


@dataclass(frozen=True)
class Student:
    student_id: str
    name: str
    row: int


@dataclass(frozen=True)
class Sheet:
    """A CSV file as rows of cells, with each row's spreadsheet number."""

    path: Path
    columns: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]


def read_csv(path: Path, required: tuple[str, ...]) -> Sheet:
    """Read a CSV with a header row that has at least the `required` columns."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            reader = csv.reader(stream, strict=True)
            records = list(reader)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text; save the spreadsheet as 'CSV UTF-8'") from None
    except csv.Error as exc:
        raise UsageError(f"{path}: row {reader.line_num}: malformed CSV ({exc})") from None
    if not records:
        raise UsageError(f"{path}: empty file; expected a header row with {', '.join(required)}")
    columns = tuple(cell.strip() for cell in records[0])
    _check_header(path, columns, required)
    rows, bad = [], []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # spreadsheets often end with blank lines
        if len(record) != len(columns):
            bad.append(f"{path}: row {number}: {len(record)} cells but the header has {len(columns)} columns; "
                       "give every row one cell per column (an empty cell for a blank answer)")
        rows.append((number, dict(zip(columns, (cell.strip() for cell in record)))))
    raise_all(bad)
    return Sheet(path, columns, tuple(rows))


def _check_header(path: Path, columns: tuple[str, ...], required: tuple[str, ...]) -> None:
    missing = [name for name in required if name not in columns]
    if missing:
        hint = ("; the cells seem to be separated by ';': save the sheet as CSV with commas (in a spreadsheet, "
                "'CSV UTF-8 (comma delimited)')" if any(";" in c for c in columns) else "")
        raise UsageError(f"{path}: row 1: missing column {', '.join(repr(m) for m in missing)}; "
                         f"the header has {', '.join(repr(c) for c in columns)}{hint}")
    duplicated = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicated:
        raise UsageError(f"{path}: row 1: column {duplicated[0]!r} appears twice")


def unique_ids(sheet: Sheet) -> dict[str, int]:
    """student_id -> row, refusing blank, unsafe and repeated ids."""
    seen: dict[str, int] = {}
    folded: dict[str, str] = {}  # paper files of 'ab1' and 'AB1' would collide on macOS and Windows
    for number, cells in sheet.rows:
        sid = cells["student_id"]
        if not sid:
            raise UsageError(f"{sheet.path}: row {number}: blank student_id")
        if not _SAFE_ID.fullmatch(sid):
            raise UsageError(f"{sheet.path}: row {number}: student_id {sid!r} may only use letters, digits "
                             "and . _ @ + - (it names the student's paper file)")
        if sid in seen:
            raise UsageError(f"{sheet.path}: row {number}: duplicate student_id {sid!r} (first on row {seen[sid]})")
        if sid.lower() in folded:
            raise UsageError(f"{sheet.path}: row {number}: student_id {sid!r} differs only in case from "
                             f"{folded[sid.lower()]!r} (row {seen[folded[sid.lower()]]})")
        seen[sid], folded[sid.lower()] = number, sid
    return seen


def read_roster(path: Path) -> list[Student]:
    """The students of a roster CSV, in file order."""
    sheet = read_csv(path, ("student_id", "name"))
    unique_ids(sheet)
    if not sheet.rows:
        raise UsageError(f"{path}: no students below the header row")
    return [Student(cells["student_id"], cells["name"], number) for number, cells in sheet.rows]
