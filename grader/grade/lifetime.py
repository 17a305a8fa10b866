"""Every process a class-grading run starts dies with the run, however the run ends.

Ctrl-C and SIGTERM are a clean stop: the command stops its workers, whose lanes stop their
servers and delete their folders. SIGKILL leaves no chance to clean up, so each process asks
the kernel to signal it when its parent dies (PR_SET_PDEATHSIG): a worker then gets SIGTERM and
cleans up as on a clean stop; a lane's server and each child it forks get SIGKILL (under
bubblewrap, `--die-with-parent` and the pid namespace do the same). Once the workers are gone,
multiprocessing's resource tracker reads the end of its pipe, unlinks the run's semaphores in
/dev/shm and exits.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from typing import Callable, Iterator

from grader.sandbox.lifeline import die_with_parent


class Stopped(KeyboardInterrupt):
    """The run was asked to stop (SIGTERM); handled as Ctrl-C is."""


def worker_started(parent: int, cleanup: Callable[[], None]) -> None:
    """In a pool worker: SIGTERM (sent by the command, or by the kernel when the command dies)
    runs `cleanup` and ends the worker; Ctrl-C is the command's to handle, not the worker's."""
    def stop(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the kernel may send it again, once per thread of the parent
        try:
            cleanup()
        finally:
            os._exit(128 + signum)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent, signal.SIGTERM)


@contextlib.contextmanager
def sigterm_stops() -> Iterator[None]:
    """Within the block, SIGTERM raises Stopped in the main thread, so cleanup runs as on Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    def stop(signum: int, frame: object) -> None:
        raise Stopped(f"stopped by signal {signum}")
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def stop_workers(pool: object) -> None:
    """SIGTERM every worker process of a ProcessPoolExecutor (it has no public way before 3.14)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            process.terminate()
