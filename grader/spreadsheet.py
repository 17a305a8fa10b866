"""CSV that a spreadsheet opens as data: no cell of ours is ever run as a formula.

Excel, LibreOffice and Google Sheets read a cell that starts with = + - @ (or a tab or a
carriage return before one) as a formula, so a student id such as `=HYPERLINK(...)` would run
on the instructor's machine. Following OWASP's rule on CSV injection, such a text cell gets a
leading single quote, which the spreadsheet shows as text; a plain number such as -0.5 stays a
number. Every CSV that gengrade writes goes through `csv_text`.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Iterable

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def cell(value: object) -> object:
    """`value` as a cell that cannot be read as a formula (numbers and other values unchanged)."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """The rows as CSV text, every cell passed through `cell`. Lines end in CRLF (RFC 4180): the
    writer then quotes a cell holding a CR or an LF, which it would not do for a CR with LF endings."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerows([cell(value) for value in row] for row in rows)
    return stream.getvalue()
