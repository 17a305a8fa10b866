"""Notebooks as submissions: the code a check needs is taken from a notebook's code cells
(`extract`), checked exactly as a stub file is, and the report points at cells, not at a
generated file. `check(exercise)` does the same from inside a running Jupyter or Colab kernel."""

from __future__ import annotations

from typing import Any

__all__ = ["check"]


def check(exercise: str, **options: Any) -> Any:
    """Check the function of `exercise` as currently defined in this kernel; show the report inline."""
    from grader.notebook.kernel import check as check_in_kernel

    return check_in_kernel(exercise, **options)
