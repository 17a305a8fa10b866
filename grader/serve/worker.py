"""A grading worker: claims queued jobs from the service's database and grades each in a warm,
isolated lane (grader.grade.pool, as `gengrade grade` does), renewing its lease meanwhile.

`gengrade serve` runs one per core beside the web server; `gengrade serve worker --database
URL` runs more on other machines, pulling from the same PostgreSQL queue. A worker that is
killed mid-job loses nothing: its lease runs out and the job is queued again (once).
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time

from grader import course
from grader.grade import pool
from grader.grade.basis import Basis, digest, grader_version, suite_hash
from grader.sandbox.confine import DEFAULT_MEMORY_MB
from grader.serve import jobs
from grader.serve.store import Store

LEASE_S = 30.0  # a lost worker's job is queued again this long after its last renewal
POLL_S = 0.2


def run(url: str, name: str | None = None, isolation: str | None = None, stop: threading.Event | None = None) -> None:
    """Grade jobs until `stop` is set (or SIGTERM/SIGINT arrives, in the main thread)."""
    name = name or f"{socket.gethostname()}:{os.getpid()}"
    stop = stop or _stop_on_signals()
    store = Store(url, migrate=False)
    try:
        while not stop.is_set():
            job = jobs.claim(store, name, time.time(), LEASE_S)
            if job is None:
                stop.wait(POLL_S)
            else:
                grade(store, job, name, isolation)
    finally:
        pool.close_lanes()
        store.close()


def grade(store: Store, job, name: str, isolation: str | None) -> None:
    """Grade one claimed job and record the report, or why grading failed."""
    exercise = course.exercise_by_id(job.exercise)
    kind = isolation or _isolation_kind()
    basis = Basis(digest(job.content), suite_hash(exercise), grader_version(), exercise.timeout_s,
                  DEFAULT_MEMORY_MB, kind)
    done = threading.Event()
    keeper = threading.Thread(target=_keep_lease, args=(store, job.id, name, done), daemon=True)
    keeper.start()
    try:
        report = pool.grade(pool.Job(job.student, job.exercise, job.content, basis))
    except Exception as exc:  # noqa: BLE001 - a failure of ours: recorded, and the student's token returned
        jobs.fail(store, job.id, name, f"{type(exc).__name__}: {exc}", time.time())
    else:
        jobs.finish(store, job.id, name, report, time.time())
    finally:
        done.set()


def _keep_lease(store: Store, job_id: str, name: str, done: threading.Event) -> None:
    while not done.wait(LEASE_S / 3):
        if not jobs.renew(store, job_id, name, time.time() + LEASE_S):
            return


def _isolation_kind() -> str:
    from grader.check import isolation as iso

    return iso.choose().kind


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
    return stop


def process_main(url: str, name: str, parent: int) -> None:
    """Entry point of a worker process started by `gengrade serve`: it dies with the server."""
    from grader.sandbox.lifeline import die_with_parent

    die_with_parent(parent, signal.SIGTERM)
    run(url, name)
