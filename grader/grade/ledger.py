"""The ledger of a class's grading: one row per (student, exercise), written as each result
arrives, so an interrupted run (Ctrl-C, kill -9, a reboot) resumes where it stopped.

SQLite in WAL mode: every result is its own committed transaction, a row is keyed by
(student, exercise) so nothing is ever duplicated, and a row is re-graded only when the
student's file changed (its sha256 differs).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

NAME = ".gengrade-ledger.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS graded (student TEXT NOT NULL, exercise TEXT NOT NULL, digest TEXT NOT NULL,
                                   report TEXT NOT NULL, PRIMARY KEY (student, exercise));
CREATE TABLE IF NOT EXISTS problems (student TEXT NOT NULL, exercise TEXT NOT NULL, reason TEXT NOT NULL,
                                     PRIMARY KEY (student, exercise));
"""


class Ledger:
    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / NAME
        self.db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def done(self, student: str, exercise: str, digest: str) -> bool:
        row = self.db.execute("SELECT digest FROM graded WHERE student = ? AND exercise = ?",
                              (student, exercise)).fetchone()
        return row is not None and row[0] == digest

    def record(self, student: str, exercise: str, digest: str, report: dict) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO graded VALUES (?, ?, ?, ?)",
                            (student, exercise, digest, json.dumps(report, sort_keys=True)))
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

    def forget_missing(self, present: dict[str, set[str]]) -> None:
        """Drop rows of students or exercises no longer submitted (a resubmission without a file)."""
        with self.db:
            for student, exercise in self.db.execute("SELECT student, exercise FROM graded").fetchall():
                if exercise not in present.get(student, set()):
                    self.db.execute("DELETE FROM graded WHERE student = ? AND exercise = ?", (student, exercise))

    def reports(self) -> dict[tuple[str, str], dict]:
        rows = self.db.execute("SELECT student, exercise, report FROM graded ORDER BY student, exercise")
        return {(s, e): json.loads(r) for s, e, r in rows}

    def problems(self) -> dict[tuple[str, str], str]:
        rows = self.db.execute("SELECT student, exercise, reason FROM problems ORDER BY student, exercise")
        return {(s, e): r for s, e, r in rows}

    def close(self) -> None:
        self.db.close()
