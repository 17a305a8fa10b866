"""`notebook.check("c1")` inside a running Jupyter or Colab kernel.

The kernel's executed cells (IPython's raw input history, in execution order) go through the same
rule as a notebook file (grader.notebook.extract), so the function is checked as currently
defined, with the helpers and imports it needs. The check runs as `gengrade check` does, in a
separate process with the same isolation (never inside the kernel), and its report is shown
inline as HTML, with lines named by the kernel's cells: `In [7], line 3`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from grader import course
from grader.notebook.extract import extract, relocate, without_magics


def kernel_cells() -> list[tuple[int, str]]:
    """(execution count, code) of the cells this kernel ran, as typed."""
    try:
        from IPython import get_ipython
    except ImportError:
        get_ipython = None  # noqa: N806
    shell = get_ipython() if get_ipython else None
    if shell is None:
        raise RuntimeError("notebook.check runs inside a Jupyter or Colab notebook; elsewhere use "
                           "`gengrade check FILE.ipynb` or `gengrade check FOLDER`")
    history = shell.history_manager.input_hist_raw
    return [(n, code) for n, code in enumerate(history) if n > 0]


def check(exercise: str, *, timeout: float | None = None, seed: int | None = None, show: bool = True) -> dict[str, Any]:
    """Check `exercise`'s function as this kernel defines it; show the report, return it as data."""
    target = course.exercise_by_id(exercise)
    cells = [(n, code) for n, raw in kernel_cells() if (code := without_magics(raw)) is not None]
    extracted = extract(cells, target.function)
    report = run_check(target, extracted.source, timeout, seed)

    def moved(text: str) -> str:
        return relocate(text, extracted, target.file, "your notebook", unit="In [{}]")
    report["headline"] = moved(report["headline"])
    for entry in report["checks"]:
        entry["message"] = moved(entry["message"])
    if show:
        show_html(report)
    return report


def run_check(exercise: course.Exercise, source: str, timeout: float | None, seed: int | None) -> dict[str, Any]:
    """`gengrade check FILE --exercise ID --json` on `source`, in a process of its own."""
    with tempfile.TemporaryDirectory(prefix="gengrade-kernel-") as folder:
        path = Path(folder) / exercise.file
        path.write_text(source, encoding="utf-8")
        argv = [sys.executable, "-m", "grader", "check", str(path), "--exercise", exercise.id, "--json"]
        argv += ["--timeout", str(timeout)] if timeout else []
        argv += ["--seed", str(seed)] if seed is not None else []
        done = subprocess.run(argv, capture_output=True, text=True, errors="replace")
    if done.returncode not in (0, 1) or not done.stdout.strip().startswith("{"):
        raise RuntimeError(f"gengrade check could not run: {done.stderr.strip()[-600:]}")
    return json.loads(done.stdout)


def show_html(report: dict[str, Any]) -> None:
    from IPython.display import HTML, display

    from grader.check.figure import with_svgs
    from grader.exam.render import render_page

    display(HTML(render_page("feedback", "html", {
        "student": f"{report['exercise']} {report['title']}", "total": report["score"],
        "maximum": report["max_score"], "reports": [with_svgs(report)], "problems": []})))
