"""A warm sandbox for grading a class: import torch and every exercise's probes once, then fork
one confined child per submission.

The server itself runs isolated (inside bubblewrap, or as a plain process when only Landlock
is available); it never runs student code. Each child, forked from the warm server, keeps
only its own two pipes, makes its own folder, confines itself exactly as a single check's
process does (rlimits, Landlock to its own folder, seccomp), and only then imports the
submission. A fresh interpreter per submission costs about 2 s of torch import; a fork costs
milliseconds. `gc.freeze()` before forking keeps the children from copying the heap.

Protocol on the control socket (a SOCK_SEQPACKET socketpair the grader made): the grader sends
a JSON job with three file descriptors attached (SCM_RIGHTS): the write ends of the result
channel and of the output pipe, and a memfd holding the submission; the server answers one
JSON message with the child's exit status.
"""

from __future__ import annotations

import array
import gc
import json
import os
import shutil
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

MAX_MESSAGE = 1 << 16
MAX_SUBMISSION = (1 << 20) + 1
FDS_PER_JOB = 3
FLUSH_S = 1.0  # how long a child's streams get to flush what the student printed


def recv_job(control: socket.socket) -> tuple[dict[str, Any] | None, list[int]]:
    """One job and the descriptors sent with it; (None, []) when the grader hangs up."""
    fds = array.array("i")
    data, ancillary, _flags, _addr = control.recvmsg(MAX_MESSAGE, socket.CMSG_SPACE(FDS_PER_JOB * fds.itemsize))
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[:len(payload) - len(payload) % fds.itemsize])
    if not data:
        return None, list(fds)
    return json.loads(data), list(fds)


def send_job(control: socket.socket, job: dict[str, Any], fds: list[int]) -> None:
    control.sendmsg([json.dumps(job).encode()], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))])


def serve(setup: dict[str, Any]) -> None:
    """Warm up, then grade jobs until the grader closes the control socket."""
    from grader.sandbox.child import load_module, prepare_torch
    from grader.sandbox.probing import probes_of

    prepare_torch()
    probes = {ex: probes_of(load_module(Path(path), f"gengrade_probes_{ex}")) for ex, path in setup["probes"].items()}
    warm(probes)
    control = socket.socket(fileno=setup["control_fd"])
    runs = Path(setup["runs"])
    gc.freeze()
    for count in range(sys.maxsize):
        job, fds = recv_job(control)
        if job is None:
            return
        status = run_child(job, fds, probes[job["exercise"]], runs / str(count), setup)
        control.send(json.dumps(status).encode())


def warm(probes: dict[str, dict[str, Any]]) -> None:
    """Run every probe once on a stand-in function, so torch's first-call costs are paid here."""
    import torch

    def stand_in(*args: Any, **kwargs: Any) -> Any:
        return args[0] if args else None
    for exercise in probes.values():
        for probe in exercise.values():
            try:
                probe(stand_in, 0)
            except Exception:  # noqa: BLE001 - the stand-in is wrong on purpose
                pass
    torch.manual_seed(0)


def run_child(job: dict[str, Any], fds: list[int], probes: dict[str, Any], folder: Path,
              setup: dict[str, Any]) -> dict[str, Any]:
    """Fork, confine and run one submission; wait for it (up to its time limit); clean up."""
    pid = os.fork()
    if pid == 0:
        _child(job, fds, probes, folder, setup)
    for fd in fds:
        os.close(fd)
    timed_out = False
    deadline = time.monotonic() + job["timeout_s"]
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            timed_out = True
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            break
        time.sleep(0.002)
    shutil.rmtree(folder, ignore_errors=True)
    return {"exit": os.waitstatus_to_exitcode(status), "timed_out": timed_out}


def _child(job: dict[str, Any], fds: list[int], probes: dict[str, Any], folder: Path, setup: dict[str, Any]) -> None:
    """In the forked child: keep only its pipes, make its folder, confine itself, run. Never returns."""
    try:
        from grader.sandbox.child import Channel, run
        from grader.sandbox.confine import Policy, confine

        result_fd, output_fd, content_fd = fds
        content = os.pread(content_fd, MAX_SUBMISSION, 0)
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        channel = _keep_only(result_fd)
        folder.mkdir(mode=0o700)
        student = folder / job["file"]
        student.write_bytes(content)
        os.chdir(folder)
        os.environ.update(HOME=str(folder), TMPDIR=str(folder))
        confine(Policy(workdir=str(folder), memory_mb=setup["memory_mb"], cpu_s=int(job["timeout_s"]) + 5,
                       seccomp=setup["seccomp"], landlock_reads=_reads(setup), new_files=setup["new_files"]))
        run({**job, "student": str(student)}, probes, Channel(os.fdopen(channel, "wb")))
    finally:
        _exit_flushed()


def _exit_flushed() -> None:
    """End the child (os._exit: never back into the server's loop) after flushing what the student
    printed but never flushed, which print keeps in a buffer when stdout is a pipe. The flush runs
    in a thread given FLUSH_S, so a stream object of the student's that never returns is abandoned."""
    try:
        sys.setswitchinterval(0.005)  # the student may have set it to hours
        streams = {id(s): s for s in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__)}
        thread = threading.Thread(target=_flush, args=(list(streams.values()),), daemon=True)
        thread.start()
        thread.join(FLUSH_S)
    finally:
        os._exit(0)


def _flush(streams: list[Any]) -> None:
    for stream in streams:
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001 - a broken stream loses its own text only
            pass


def _keep_only(channel: int) -> int:
    """Close every descriptor but stdin, stdout, stderr and the result channel (moved to 3): the
    control socket and the server's own files must not reach student code."""
    os.dup2(channel, 3)
    for name in os.listdir("/proc/self/fd"):
        if int(name) > 3:
            try:
                os.close(int(name))
            except OSError:
                pass
    return 3


def _reads(setup: dict[str, Any]) -> tuple[str, ...] | None:
    reads = setup.get("landlock_reads")
    return tuple(reads) if reads is not None else None


def main() -> None:
    """Entry point of the sandboxed interpreter: `python -I -S -B -c BOOT SETUP`."""
    import ctypes

    ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE 0: children cannot open this process's memory
    serve(json.loads(sys.argv[1]))
