"""The ledger of a class's grading: one row per (student, exercise), written as each result
arrives, so an interrupted run (Ctrl-C, kill -9, a reboot) resumes where it stopped.

SQLite in WAL mode: every result is its own committed transaction, and a row is keyed by
(student, exercise) so nothing is ever duplicated. Each row keeps what produced it (its
`Basis`: the file's sha256, the suite's hash, the grader's version, the limits, the isolation),
so a rerun regrades exactly the results that no longer stand. A ledger written before a part
of the basis was recorded gains the column empty, which makes its rows stale.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import astuple, fields
from pathlib import Path

from grader.grade.basis import Basis

NAME = ".gengrade-ledger.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS graded (student TEXT NOT NULL, exercise TEXT NOT NULL, digest TEXT NOT NULL,
                                   report TEXT NOT NULL, PRIMARY KEY (student, exercise));
-- the other columns of the basis are added by Ledger._migrate, to a new ledger as to an old one
CREATE TABLE IF NOT EXISTS problems (student TEXT NOT NULL, exercise TEXT NOT NULL, reason TEXT NOT NULL,
                                     PRIMARY KEY (student, exercise));
"""
BASIS = tuple(f.name for f in fields(Basis))  # "digest" first: the column every ledger has


class Ledger:
    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / NAME
        self.db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        """Add the basis columns a ledger lacks (an older version's): empty, so its rows are stale."""
        have = {row[1] for row in self.db.execute("PRAGMA table_info(graded)")}
        with self.db:
            for name in BASIS[1:]:
                if name not in have:
                    self.db.execute(f"ALTER TABLE graded ADD COLUMN {name}")

    def basis(self, student: str, exercise: str) -> Basis | None:
        """What produced the recorded result (None when there is none)."""
        row = self.db.execute(f"SELECT {', '.join(BASIS)} FROM graded WHERE student = ? AND exercise = ?",
                              (student, exercise)).fetchone()
        return None if row is None else Basis(*row)

    def record(self, student: str, exercise: str, basis: Basis, report: dict) -> None:
        with self.db:
            self.db.execute(f"INSERT OR REPLACE INTO graded (student, exercise, report, {', '.join(BASIS)}) "
                            f"VALUES (?, ?, ?{', ?' * len(BASIS)})",
                            (student, exercise, json.dumps(report, sort_keys=True), *astuple(basis)))
            self.db.execute("DELETE FROM problems WHERE student = ? AND exercise = ?", (student, exercise))

    def problem(self, student: str, exercise: str, reason: str) -> None:
        """A submission (exercise "*": the whole entry) that cannot be graded, and why."""
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO problems VALUES (?, ?, ?)", (student, exercise, reason))
            if exercise == "*":
                self.db.execute("DELETE FROM graded WHERE student = ?", (student,))
            else:
                self.db.execute("DELETE FROM graded WHERE student = ? AND exercise = ?", (student, exercise))

    def reset_problems(self) -> None:
        """Problems are found afresh on every run (a fixed submission must lose its old reason)."""
        with self.db:
            self.db.execute("DELETE FROM problems")

    def forget_missing(self, present: dict[str, set[str]], graded: set[str]) -> None:
        """Drop the rows of students no longer submitted, and of exercises graded in this run that a
        student no longer submits (a resubmission without a file); other exercises' rows stay."""
        with self.db:
            for student, exercise in self.db.execute("SELECT student, exercise FROM graded").fetchall():
                if student not in present or (exercise in graded and exercise not in present[student]):
                    self.db.execute("DELETE FROM graded WHERE student = ? AND exercise = ?", (student, exercise))

    def reports(self) -> dict[tuple[str, str], dict]:
        rows = self.db.execute("SELECT student, exercise, report FROM graded ORDER BY student, exercise")
        return {(s, e): json.loads(r) for s, e, r in rows}

    def problems(self) -> dict[tuple[str, str], str]:
        rows = self.db.execute("SELECT student, exercise, reason FROM problems ORDER BY student, exercise")
        return {(s, e): r for s, e, r in rows}

    def close(self) -> None:
        self.db.close()
