"""From what the sandbox observed to what each check may read, and from how a check ended
to its outcome and message. Student code never runs here."""

from __future__ import annotations

from typing import Any

from grader.check.expect import Mistake, NotJudged, StudentRaised
from grader.check.output import clean
from grader.check.runner import Observations


class NotRun(Exception):
    """The probe this check reads produced nothing (the run stopped before it)."""


class NotStarted(Exception):
    """The probe hit the stub's own NotImplementedError."""


def headline(obs: Observations, function: str, source: str) -> str:
    """Why nothing could be graded at all, or '' when the probes ran."""
    if obs.channel_error:
        return f"grading stopped: {obs.channel_error}"
    if obs.import_error:
        return format_import_error(obs.import_error, source)
    if obs.missing_function:
        return f"{source} defines no function `{function}`: keep the name and signature of the stub"
    if not obs.probes and obs.timed_out:
        return "stopped: your code did not finish within the time limit (look for a loop that never ends)"
    return ""


def probe_outputs(obs: Observations, name: str, headline_text: str) -> dict[str, Any]:
    """The observations of probe `name`; raises the reason a check reading them cannot run."""
    if headline_text:
        raise NotRun("not run: " + headline_text.split("\n")[0])
    frame = obs.probes.get(name)
    if frame is None:
        raise NotRun(_missing(obs))
    if "error" in frame:
        error = frame["error"]
        if error.get("type") == "NotImplementedError" and error.get("raised_by_student") and not _started(obs):
            raise NotStarted("not started yet (your function still raises NotImplementedError)")
        raise StudentRaised(error)
    return frame.get("outputs") or {}


def _started(obs: Observations) -> bool:
    """Whether some probe ran through: then a NotImplementedError is the function's own answer to
    an input (say, a kind it refuses), not the untouched stub's."""
    return any("error" not in frame for frame in obs.probes.values())


def _missing(obs: Observations) -> str:
    if obs.timed_out:
        return "not run: your code did not finish within the time limit: look for a loop that never ends, or pass a larger --timeout"
    code = obs.exit_code
    if code is not None and code < 0:
        return f"not run: your code's process was killed by signal {-code} (out of memory or CPU time?)"
    status = f" (exit status {code})" if code else ""
    return f"not run: your code's process stopped before this check ran{status}, e.g. by calling exit()"


def classify(exc: BaseException, source: str) -> tuple[str, str, str | None]:
    """(outcome, message, misconception id) for the exception a check ended with; `source` is
    the name of the student's file, as their error lines name it."""
    if isinstance(exc, Mistake):
        return "fail", exc.message, exc.id
    if isinstance(exc, StudentRaised):
        return "error", "your function raised " + format_exception(exc.error, source), None
    if isinstance(exc, NotStarted):
        return "not-started", str(exc), None
    if isinstance(exc, NotRun):
        return "not-run", str(exc), None
    if isinstance(exc, NotJudged):
        return "not-run", f"not judged: {exc}", None
    if isinstance(exc, AssertionError) or type(exc).__name__ == "Failed":
        return "fail", assertion_text(str(exc)), None
    return "fail", f"this check could not read what your function returned ({type(exc).__name__}: {exc})", None


def assertion_text(text: str) -> str:
    """An assert's own message when it has one, else pytest's explanation of the comparison."""
    if text.startswith("assert "):
        return "\n".join(text.splitlines()[:6])
    return text.split("\nassert ")[0]


def format_exception(error: dict[str, Any], source: str) -> str:
    """The student's exception: type, message and their own lines, cleaned of control characters."""
    lines = [clean(f"{error.get('type')}: {error.get('message')}", 600)]
    for frame in error.get("frames", []):
        lines.append(clean(f"  {source}, line {frame['line']}, in {frame['function']}: {frame['code']}", 300))
    if not error.get("frames") and error.get("type") == "TypeError" and "argument" in str(error.get("message")):
        lines.append("  (the call itself was refused: keep the stub's signature, its parameter names and defaults)")
    elif not error.get("frames"):
        lines.append("  (raised outside your file: by code your function called, or while using what it returned)")
    return "\n".join(lines)


def format_import_error(error: dict[str, Any], source: str) -> str:
    if error.get("line") and error.get("type") in ("SyntaxError", "IndentationError", "TabError"):
        pointer = " " * max(0, (error.get("offset") or 1) - 1) + "^"
        return clean(f"{source}, line {error['line']}: {error['type']}: {error['message']}\n"
                     f"    {error.get('code', '')}\n    {pointer}", 800)
    return f"{source} could not be imported: " + format_exception(error, source)
