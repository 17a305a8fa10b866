"""A student's progress per exercise: not started, in progress, or the last score, wherever the
copy they work on lives.

Kept in the user's state folder ($XDG_STATE_HOME/gengrade, else ~/.local/state/gengrade), never
beside the code, so checking in a clone leaves it clean, and `gengrade list` sees a copy in
~/work/c2 as well as the one in exercises/c2: each exercise's last check is recorded with the
path and sha256 of the file it graded.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
from pathlib import Path

from grader.atomic import write_file
from grader.check.models import Report
from grader.errors import GraderError


def state_file() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "gengrade" / "progress.json"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _records() -> dict:
    try:
        data = json.loads(state_file().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def remember(report: Report, submission: Path, public_only: bool = False) -> None:
    """Record this check as the exercise's latest, atomically; an unwritable home is no error.
    `public_only`: a student release's check, which covers the public checks only."""
    records = _records()
    records[report.exercise] = {"path": str(submission.resolve()), "sha256": _digest(submission),
                                "score": report.score, "max_score": report.max_score, "public_only": public_only,
                                "status": report.status}
    try:
        write_file(state_file(), json.dumps(records, indent=1, sort_keys=True).encode())
    except (OSError, GraderError):
        pass


def status(exercise_id: str, checkout_copy: Path, function: str) -> str:
    """The exercise's status: from its last check when that file is unchanged (or changed since),
    else from the copy in the checkout."""
    record = _records().get(exercise_id)
    if isinstance(record, dict) and Path(str(record.get("path"))).is_file():
        path = Path(record["path"])
        where = "" if path == checkout_copy.resolve() else f" ({path.parent})"
        if _digest(path) != record.get("sha256"):
            return f"in progress{where}"
        if record.get("status") == "not-started":
            return f"not started{where}"
        scope = " public" if record.get("public_only") else ""
        return f"checked {record.get('score')}/{record.get('max_score')}{scope}{where}"
    return local_status(checkout_copy, function)


def local_status(submission: Path, function: str) -> str:
    """The status of one copy read from its code alone: missing, a syntax error, not started, in progress."""
    if not submission.is_file():
        return "missing"
    try:
        if _is_stub(ast.parse(submission.read_text(encoding="utf-8")), function):
            return "not started"
    except SyntaxError as exc:
        return f"syntax error (line {exc.lineno})"
    return "in progress"


def _is_stub(tree: ast.Module, function: str) -> bool:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == function:
            body = [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
            return len(body) == 1 and isinstance(body[0], ast.Raise) and "NotImplementedError" in ast.dump(body[0])
    return False
