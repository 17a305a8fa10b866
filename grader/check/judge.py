"""Turn a sandbox's observations into check results. Student code never runs here."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from grader.check.misconceptions import Misconception
from grader.check.models import CheckResult
from grader.check.runner import Observations
from grader.check.suite import Check, Fail, Suite


def judge(suite: Suite, reference: ModuleType, obs: Observations, source: str,
          misconceptions: dict[str, Misconception]) -> tuple[list[CheckResult], str]:
    """Return each check's result and a headline when the submission could not run at all."""
    headline = _headline(obs, suite.function, source)
    results = []
    for check in suite.checks:
        outcome, message, mistake = _verdict(check, obs, reference, source, headline)
        if mistake in misconceptions:
            message = f"{message}\n{misconceptions[mistake].advice()}"
        points = check.points if outcome == "pass" else 0
        results.append(CheckResult(check.name, check.title, outcome, points, check.points,
                                   check.public, message, mistake))
    if headline == "" and all(r.outcome == "not-started" for r in results):
        headline = f"not started yet: implement {suite.function} in {source} (it still raises NotImplementedError)"
    return results, headline


def _headline(obs: Observations, function: str, source: str) -> str:
    if obs.channel_error:
        return f"grading stopped: {obs.channel_error}"
    if obs.import_error:
        return format_import_error(obs.import_error, source)
    if obs.missing_function:
        return f"{source} defines no function `{function}`: keep the name and signature of the stub"
    return ""


def _verdict(check: Check, obs: Observations, reference: ModuleType, source: str,
             headline: str) -> tuple[str, str, str | None]:
    frame = obs.probes.get(check.probe)
    if headline:
        return "error", "not run: " + headline.split("\n")[0], None
    if frame is None:
        return _missing(obs)
    if "error" in frame:
        return _raised(frame["error"], source)
    try:
        check.verdict(frame.get("outputs") or {}, reference)
    except Fail as fail:
        return "fail", fail.message, fail.misconception
    except Exception as exc:  # noqa: BLE001 - an output shape the verdict did not foresee
        return "fail", f"your function returned something this check cannot read ({type(exc).__name__}: {exc})", None
    return "pass", "", None


def _missing(obs: Observations) -> tuple[str, str, None]:
    if obs.timed_out:
        return "timeout", "not finished within the time limit: look for a loop that never ends, or pass a larger --timeout", None
    code = obs.exit_code
    if code is not None and code < 0:
        return "error", f"your code's process was killed by signal {-code} (out of memory or CPU time?)", None
    tail = obs.log.strip().splitlines()[-3:]
    return "error", "your code's process stopped before this check ran" + (": " + " | ".join(tail) if tail else ""), None


def _raised(error: dict[str, Any], source: str) -> tuple[str, str, None]:
    if error.get("type") == "NotImplementedError" and error.get("raised_by_student"):
        return "not-started", "not started yet (your function still raises NotImplementedError)", None
    return "error", "your function raised " + format_exception(error, source), None


def format_exception(error: dict[str, Any], source: str) -> str:
    lines = [f"{error.get('type')}: {error.get('message')}"]
    for frame in error.get("frames", []):
        lines.append(f"  {source}, line {frame['line']}, in {frame['function']}: {frame['code']}")
    if not error.get("frames"):
        lines.append("  (raised outside your file, while using what your function returned)")
    return "\n".join(lines)


def format_import_error(error: dict[str, Any], source: str) -> str:
    if error.get("line") and error.get("type") in ("SyntaxError", "IndentationError", "TabError"):
        pointer = " " * max(0, (error.get("offset") or 1) - 1) + "^"
        return (f"{source}, line {error['line']}: {error['type']}: {error['message']}\n"
                f"    {error.get('code', '')}\n    {pointer}")
    return f"{source} could not be imported: " + format_exception(error, source)
