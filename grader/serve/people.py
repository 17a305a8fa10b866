"""The people the service knows: students from a roster (each with a token, shown once) and
instructors. Used by the HTTP routes and by `gengrade serve roster` / `serve instructor`."""

from __future__ import annotations

import csv
import io

from sqlalchemy.orm import Session

from grader.errors import UsageError
from grader.serve import tokens
from grader.serve.tables import Instructor, Student


def read_roster(text: str, source: str = "roster") -> list[tuple[str, str]]:
    """(student_id, name) rows of a roster CSV (columns student_id and name; others ignored)."""
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or "student_id" not in rows[0]:
        raise UsageError(f"{source}: needs a header row with a student_id column (and name)")
    out, seen = [], set()
    for number, row in enumerate(rows, start=2):
        student = (row.get("student_id") or "").strip()
        if not student or len(student) > 200:
            raise UsageError(f"{source}, row {number}: student_id is empty or too long")
        if student in seen:
            raise UsageError(f"{source}, row {number}: student_id {student!r} appears twice")
        seen.add(student)
        out.append((student, (row.get("name") or "").strip()[:400]))
    return out


def import_roster(session: Session, rows: list[tuple[str, str]], reissue: bool = False) -> list[tuple[str, str, str]]:
    """Add the roster's students; (student_id, name, token) for each one given a new token
    (new students, and every student with `reissue`). Tokens are stored only as hashes."""
    issued = []
    for student, name in rows:
        found = session.get(Student, student)
        if found is not None and not reissue:
            found.name = name or found.name
            continue
        token = tokens.new_token("st")
        if found is None:
            session.add(Student(id=student, name=name, token_hash=tokens.digest(token)))
        else:
            found.name, found.token_hash = name or found.name, tokens.digest(token)
        issued.append((student, name, token))
    return issued


def tokens_csv(issued: list[tuple[str, str, str]]) -> str:
    from grader.spreadsheet import csv_text

    return csv_text([["student_id", "name", "token"], *issued])


def add_instructor(session: Session, label: str) -> str:
    token = tokens.new_token("in")
    session.add(Instructor(token_hash=tokens.digest(token), label=label))
    return token
