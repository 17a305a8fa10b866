"""A process that dies with its parent: the kernel's PR_SET_PDEATHSIG, for the processes class
grading starts (a lane's server and each child it forks), so none outlives the run that made it.

Standard library only: the lane's server imports it inside bubblewrap, where only
grader/sandbox is bound.
"""

from __future__ import annotations

import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None, signum: int = signal.SIGKILL) -> None:
    """Have the kernel send `signum` to this process when the thread that started it ends; if the
    parent (pid `parent`, when known) is already gone, that moment has passed: end now."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0)
    if parent is not None and os.getppid() != parent:
        os.kill(os.getpid(), signum)


def guard_forks() -> None:
    """Every child this process forks from now on dies with it (the setting is not inherited)."""
    os.register_at_fork(after_in_child=lambda: die_with_parent(None))
