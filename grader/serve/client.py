"""The student's side of the service: `gengrade submit` uploads the stub and streams the feedback
(server-sent events), then stores the signed receipt; `gengrade receipt verify` checks one offline."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any, Callable

from grader import course
from grader.atomic import write_file
from grader.errors import UsageError
from grader.serve import receipts


def config_value(given: str | None, variable: str, filename: str) -> str | None:
    """An option, else its environment variable, else a file in $XDG_CONFIG_HOME/gengrade."""
    if given:
        return given
    if os.environ.get(variable):
        return os.environ[variable]
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    path = Path(base) / "gengrade" / filename
    return path.read_text(encoding="utf-8").strip() if path.is_file() else None


def receipts_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "gengrade" / "receipts"


def events(response) -> Any:
    """(event, data) pairs of a server-sent event stream."""
    event, data = "message", []
    for line in response.iter_lines():
        if line == "":
            if data:
                yield event, json.loads("\n".join(data))
            event, data = "message", []
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())


def submit(folder: Path, server: str, token: str, echo: Callable[[str], None]) -> dict[str, Any]:
    """Upload the exercise's stub file; stream its progress; return the final view with the
    receipt's path. UsageError for anything the server refuses, with its reason."""
    import httpx

    exercise, path = course.locate(folder)
    try:
        return _submit(exercise, path, server, token.strip(), echo)
    except httpx.HTTPError as exc:
        raise UsageError(f"cannot reach the server at {server} ({type(exc).__name__}: {exc})") from None


def _submit(exercise: course.Exercise, path: Path, server: str, token: str, echo: Callable[[str], None]) -> dict:
    import httpx

    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server.rstrip("/"), headers=headers, timeout=httpx.Timeout(30, read=None)) as http:
        sent = http.post("/api/submissions", data={"exercise": exercise.id},
                         files={"file": (exercise.file, path.read_bytes(), "text/x-python")})
        if sent.status_code != 201:
            raise UsageError(f"the server refused the submission ({sent.status_code}): {_detail(sent)}")
        job = sent.json()
        echo(f"Submitted {exercise.file} for {exercise.id} ({job['tokens_left']} more submissions possible now)")
        final = None
        with http.stream("GET", f"/api/submissions/{job['id']}/events") as stream:
            for event, data in events(stream):
                if event == "state" and data["state"] == "queued":
                    echo(f"  queued ({data['position']} in the queue)")
                elif event == "state":
                    echo(f"  {data['state']}")
                elif event == "result":
                    final = data
        if final is None:
            raise UsageError("the server closed the stream before the result; see it with the dashboard or retry")
        receipt = http.get(f"/api/submissions/{job['id']}/receipt").json()
    target = receipts_dir() / f"{job['id']}.json"
    write_file(target, json.dumps(receipt, indent=2).encode(), mode=0o600)
    return final | {"receipt_path": str(target), "fingerprint": receipts.fingerprint(
        base64.b64decode(receipt["public_key"]))}


def _detail(response) -> str:
    try:
        return str(response.json().get("detail"))
    except ValueError:
        return response.text[:300]


def verify_file(path: Path, key: str | None) -> tuple[bool, dict[str, Any], str]:
    """(valid, the receipt's fields, the fingerprint of the key it was checked with)."""
    try:
        receipt = json.loads(path.read_text(encoding="utf-8"))
        public = base64.b64decode(key, validate=True) if key else base64.b64decode(receipt["public_key"], validate=True)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path}: not a readable receipt ({exc})") from None
    fields = receipt.get("receipt") if isinstance(receipt, dict) else None
    return receipts.verify(receipt, public), fields if isinstance(fields, dict) else {}, receipts.fingerprint(public)
