"""One lane of class grading: a warm sandbox server (grader.sandbox.server) and its control socket.

Each submission is forked from the warm server and confined on its own (its own folder,
Landlock, seccomp, rlimits); under bubblewrap the server itself also lives in its own
namespaces. A lane grades one submission at a time; a class uses one lane per worker.
A server that stops answering is killed and started again, so one submission can never
stall the rest of the class. The server, and every child it forks, dies with the process that
started the lane (grader.sandbox.lifeline), whatever ends it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from grader.check import isolation as iso
from grader.check.output import OutputTail
from grader.check.runner import ChannelReader, Observations, child_env, observed
from grader.course import Exercise
from grader.sandbox.confine import DEFAULT_MEMORY_MB
from grader.sandbox.server import send_job

RUNS_BYTES = 128 << 20  # the tmpfs that holds the folder of the one child running at a time
BOOT = ("import sys; sys.path[:] = {path!r}; from grader.sandbox.lifeline import die_with_parent, guard_forks; "
        "die_with_parent({parent}); guard_forks(); from grader.sandbox.server import main; main()")
GRACE_S = 20  # beyond a submission's time limit, how long the server may take to answer


def label(isolation: iso.Isolation) -> str:
    """What protects each submission on a lane: the server's isolation, plus Landlock per child."""
    return {"bubblewrap": "isolated: bubblewrap + landlock + seccomp"}.get(isolation.kind, isolation.label)


class Lane:
    def __init__(self, exercises: list[Exercise], isolation: iso.Isolation, memory_mb: int = DEFAULT_MEMORY_MB,
                 under: str | None = None):
        iso.protect_this_process()
        self.exercises = {e.id: e for e in exercises}
        self.isolation, self.memory_mb = isolation, memory_mb
        self.label = label(isolation)
        self.proc: subprocess.Popen | None = None
        self.tmp = tempfile.mkdtemp(prefix="gengrade-lane-", dir=under)
        self._start()

    def _start(self) -> None:
        control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        setup = {"control_fd": theirs.fileno(), "memory_mb": self.memory_mb, "seccomp": self.isolation.protected,
                 "landlock_reads": [*iso.landlock_reads(), iso.INSIDE_CODE] if self.isolation.protected else None,
                 "new_files": self.isolation.kind == "bubblewrap"}  # its children's folders are on a sized tmpfs
        python = [iso.PYTHON, "-I", "-S", "-B", "-c"]
        if self.isolation.kind == "bubblewrap":
            setup.update(runs="/runs", probes={i: f"{iso.INSIDE_CODE}/probes/{i}.py" for i in self.exercises})
            mounts = [arg for i, e in self.exercises.items()
                      for arg in ("--ro-bind", str(e.probes_path), f"{iso.INSIDE_CODE}/probes/{i}.py")]
            mounts += ["--size", str(RUNS_BYTES), "--perms", "0700", "--tmpfs", "/runs"]
            # bubblewrap dies with this process (--die-with-parent); its pid namespace takes the server
            boot = BOOT.format(path=[iso.INSIDE_CODE, *iso.python_paths()], parent=None)
            argv = iso.bubblewrap(python + [boot, json.dumps(setup)], mounts, "/runs")
        else:
            runs = Path(self.tmp, "runs")
            runs.mkdir(exist_ok=True)
            setup.update(runs=str(runs), probes={i: str(e.probes_path) for i, e in self.exercises.items()})
            boot = BOOT.format(path=[str(iso.PACKAGE.parent), *iso.python_paths()], parent=os.getpid())
            argv = python + [boot, json.dumps(setup)]
        with open(Path(self.tmp, "server.log"), "ab") as log:
            self.proc = subprocess.Popen(argv, cwd=self.tmp, env=child_env(self.tmp), stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=log, pass_fds=(theirs.fileno(),), start_new_session=True)
        theirs.close()
        self.control = control

    def start(self, exercise_id: str, content: bytes, seed: int, timeout_s: float) -> LaneRun:
        """Hand one submission to the server; returns at once (collect() waits)."""
        exercise = self.exercises[exercise_id]
        result_read, result_write = os.pipe()
        out_read, out_write = os.pipe()
        memfd = os.memfd_create("submission")
        try:
            os.write(memfd, content)
            job = {"exercise": exercise_id, "function": exercise.function, "file": exercise.file, "seed": seed,
                   "timeout_s": timeout_s}
            send_job(self.control, job, [result_write, out_write, memfd])
        finally:
            for fd in (result_write, out_write, memfd):
                os.close(fd)
        return LaneRun(self, ChannelReader(result_read), OutputTail(out_read), timeout_s)

    def restart(self) -> None:
        """Kill the server (and its child, with its namespaces) and start a fresh one."""
        self.stop()
        self._start()

    def stop(self) -> None:
        self.control.close()
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.proc.wait()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


class LaneRun:
    """A submission in flight on a lane."""

    def __init__(self, lane: Lane, channel: ChannelReader, output: OutputTail, timeout_s: float):
        self.lane, self.channel, self.output, self.timeout_s = lane, channel, output, timeout_s

    def collect(self) -> Observations:
        status = self._status()
        if status is None:  # the server died or hangs: nothing of this run can be trusted
            self.lane.restart()
            status = {"exit": None, "timed_out": True}
        return observed(self.channel, self.output, status["exit"], status["timed_out"], self.lane.label)

    def _status(self) -> dict | None:
        deadline = time.monotonic() + self.timeout_s + GRACE_S
        self.lane.control.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            data = self.lane.control.recv(4096)
            return json.loads(data) if data else None
        except (OSError, ValueError):
            return None
