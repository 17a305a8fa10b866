"""Where a class's submissions run: worker processes here, or a Dask cluster.

Each worker process owns one lane (a warm sandbox server) for the whole class and judges its
own results, so torch is imported once per worker, not once per submission, and verdicts run
on every core at once (in threads they would queue for one interpreter). With `--scheduler`,
the same jobs go to a Dask cluster (the `distributed` package); each Dask worker keeps lanes
of its own, and results come back here, where the ledger and outputs stay.
"""

from __future__ import annotations

import atexit
import hashlib
import multiprocessing
import os
import shutil
import tempfile
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Iterator

from grader import course
from grader.check import isolation as iso
from grader.check.api import judge
from grader.grade import lifetime
from grader.grade.basis import Basis
from grader.grade.lane import Lane


@dataclass(frozen=True)
class Job:
    student: str
    exercise: str
    content: bytes
    basis: Basis  # what the result will rest on; its limits and isolation kind are how to run it
    origin: tuple | None = None  # for code taken from a notebook: where its lines came from (notebook.entries)

    @property
    def seed(self) -> int:
        """A function of the file and its owner: a regrade of the same file draws the same inputs."""
        text = f"{self.student}:{self.exercise}:{self.basis.digest}"
        return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")

    @property
    def name(self) -> str:
        return f"{self.student} {self.exercise}"


_MINE = threading.local()  # this thread's lane
_ALL: list[Lane] = []  # every lane this process started, to close them all
_ALL_LOCK = threading.Lock()
_LANES: str | None = None  # where this process's lanes keep their folders (None: the system's temporary folder)


def grade(job: Job) -> dict:
    """Grade one job on this thread's lane (started on first use); the report as JSON."""
    lane = getattr(_MINE, "lane", None)
    if lane is None:
        lane = _MINE.lane = Lane(course.all_exercises(), iso.choose(job.basis.isolation), job.basis.memory_mb, _LANES)
        with _ALL_LOCK:
            if not _ALL:
                atexit.register(close_lanes)  # a worker process stops its server when it ends
            _ALL.append(lane)
    exercise = lane.exercises[job.exercise]
    start = time.monotonic()
    run = lane.start(job.exercise, job.content, job.seed, job.basis.timeout_s)
    report = judge(exercise, run.collect, job.seed, exercise.file, start).to_json()
    if job.origin:
        from grader.notebook.entries import in_cells

        report = in_cells(report, job.origin, exercise.file)
    return report


def close_lanes() -> None:
    """Stop every lane's server (and with it any child still running) and delete its folder.
    Takes no lock: it also runs in a signal handler, which may interrupt the lock's holder."""
    lanes, _ALL[:] = list(_ALL), []
    for lane in lanes:
        lane.close()


def run_local(jobs: list[Job], workers: int, retried: list[str]) -> Iterator[tuple[Job, dict | Exception]]:
    """(job, report or the exception) as each finishes, on `workers` processes with a lane each.

    A worker that dies by itself (the kernel's OOM killer, say) breaks the pool, failing every job
    still pending in it; those run once more on a fresh pool, and `retried` names them."""
    lost = yield from _run_pool(jobs, workers)
    if lost:
        retried += [f"{job.name} (a worker died)" for job in lost]
        for job in (yield from _run_pool(lost, workers)):
            yield job, BrokenProcessPool("a grading worker died twice while this job was pending")


def _run_pool(jobs: list[Job], workers: int) -> Iterator[tuple[Job, dict | Exception]]:
    """run_local's jobs on one pool; returns the jobs lost when a worker died.
    Stopped early (Ctrl-C, SIGTERM, an error here), it ends the workers, which close their lanes."""
    lanes = tempfile.mkdtemp(prefix="gengrade-run-")  # the workers' lane folders: removed here, even a killed worker's
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_started, initargs=(os.getpid(), lanes))
    futures: dict[Future, Job] = {pool.submit(_guarded, job): job for job in jobs}
    lost, finished = [], False
    try:
        for future in as_completed(futures):
            result = _result(future)
            if isinstance(result, BrokenProcessPool):
                lost.append(futures[future])
            else:
                yield futures[future], result
        finished = True
    finally:
        if not finished:
            lifetime.stop_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(lanes, ignore_errors=True)
    return lost


def _worker_started(parent: int, lanes: str) -> None:
    global _LANES
    _LANES = lanes
    lifetime.worker_started(parent, close_lanes)


def _result(future: Future) -> dict | Exception:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a worker that died (BrokenProcessPool) costs its jobs only
        return exc


def _guarded(job: Job) -> dict | Exception:
    try:
        return grade(job)
    except Exception as exc:  # noqa: BLE001 - one submission's failure must not stop the class
        return exc


def run_dask(jobs: list[Job], address: str, retried: list[str]) -> Iterator[tuple[Job, dict | Exception]]:
    """The same jobs on a Dask cluster at `address` (tcp://host:port, or a Client-compatible address).

    The scheduler runs a job again when the worker running it is lost (up to its allowed
    failures, then the job fails with KilledWorker); once all are done, `retried` gets each such
    job's name and how many workers it lost, so a retry is never silent."""
    from distributed import Client, as_completed as dask_completed

    with Client(address) as client:
        futures = {client.submit(_guarded, job, pure=False, key=f"{job.student}-{job.exercise}-{job.basis.digest[:12]}"): job
                   for job in jobs}
        for future in dask_completed(futures):
            yield futures[future], _result(future)
        losses = client.run_on_scheduler(lost_workers, keys=[future.key for future in futures])
        retried += [f"{job.name} ({losses[future.key]} lost)" for future, job in futures.items() if future.key in losses]


def lost_workers(keys: list[str], dask_scheduler=None) -> dict[str, int]:
    """On the scheduler: how many times each task's worker was lost while running it."""
    tasks = dask_scheduler.tasks
    return {key: tasks[key].suspicious for key in keys if key in tasks and tasks[key].suspicious}
