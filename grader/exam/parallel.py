"""Map a function over items in forked workers, where that pays.

Forking shares everything the parent already built (the loaded bank, its compiled
lambdas, compiled templates, the MathML cache), so the parent first runs one item itself
to warm those caches, freezes the garbage collector (so children do not copy pages by
touching reference counts) and then forks. Results come back in input order, so output
does not depend on scheduling. Where fork does not exist (Windows; macOS defaults to
spawn) or there is too little work, it maps in-process: same results, only slower.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any

from grader.errors import GraderError, UsageError

MIN_ITEMS_PER_WORKER = 8  # below this a fork costs more than it saves


def default_jobs() -> int:
    """Worker count: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def fork_map(func: Callable[[Any], Any], items: Sequence[Any], jobs: int | None = None) -> list:
    """[func(x) for x in items], in up to `jobs` forked processes once warmed on items[0]."""
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if not items:
        return []
    first = [func(items[0])]
    rest = items[1:]
    jobs = min(jobs, len(rest) // MIN_ITEMS_PER_WORKER)
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return first + [func(x) for x in rest]
    global _TASK
    _TASK = func
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results = pool.map(_call, rest, chunksize=max(1, len(rest) // (jobs * 4)))
    finally:
        _TASK = None
        gc.unfreeze()
    for failed, value in results:
        if failed:
            raise (UsageError if value[0] == UsageError.exit_code else GraderError)(value[1])
    return first + [value for _, value in results]


_TASK: Callable[[Any], Any] | None = None  # the function forked workers inherit


def _call(item: Any) -> tuple[bool, Any]:
    """(False, result), or (True, (exit code, message)) for an error the user can act on.

    GraderError subclasses may take other constructor arguments than a message, so they
    would not survive pickling back to the parent; their message and exit code do.
    """
    try:
        return False, _TASK(item)
    except GraderError as exc:
        return True, (exc.exit_code, str(exc))
