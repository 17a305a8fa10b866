"""Start the student's code in its own isolated process and collect what it observed.

The child gets the strongest isolation this machine has (`grader.check.isolation`), a
scrubbed environment, resource limits, its own session, and two pipes: one for result
frames, one for what it prints, so printing can never be mistaken for results. Both pipes
are read by threads into bounded buffers, so a flood neither fills memory nor blocks the
timeout. The parent starts the child first and returns at once, so the grader can import
pytest and torch while the child does the same.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.check import isolation as iso
from grader.check.output import OutputTail
from grader.check.wire import WireError, read_observations
from grader.errors import UsageError
from grader.sandbox.confine import DEFAULT_MEMORY_MB

MAX_CHANNEL_BYTES = 64 << 20
MAX_SUBMISSION_BYTES = 1 << 20
BOOT = "import sys; sys.path[:] = {path!r}; from grader.sandbox.child import main; main()"


@dataclass
class Observations:
    """Everything the sandbox reported, already checked for well-formedness."""

    probes: dict[str, dict[str, Any]] = field(default_factory=dict)
    import_error: dict[str, Any] | None = None
    missing_function: str | None = None
    finished: bool = False
    timed_out: bool = False
    exit_code: int | None = None
    channel_error: str = ""
    output: str = ""  # what the code printed: a cleaned, bounded tail
    isolation: str = ""


class SandboxRun:
    def __init__(self, probes: Path, function: str, submission: Path, *, timeout_s: float,
                 memory_mb: int = DEFAULT_MEMORY_MB, seed: int = 0, isolation: iso.Isolation | None = None):
        content = read_submission(submission)
        self.isolation = isolation or iso.choose()
        self.timeout_s = timeout_s
        self.tmp: str | None = None
        read_fd, write_fd = os.pipe()
        out_read, out_write = os.pipe()
        job = {"function": function, "seed": seed, "fd": write_fd, "memory_mb": memory_mb,
               "cpu_s": int(timeout_s) + 5, "seccomp": self.isolation.protected}
        argv, pass_fds, cwd = self._command(job, probes, submission.name, content)
        try:
            self.proc = subprocess.Popen(argv, cwd=cwd, env=child_env(cwd or "/tmp"), stdin=subprocess.DEVNULL,
                                         stdout=out_write, stderr=out_write, pass_fds=(write_fd, *pass_fds),
                                         start_new_session=True)
        finally:
            for fd in (write_fd, out_write, *pass_fds):
                os.close(fd)
        self.started = time.monotonic()
        self.channel = ChannelReader(read_fd, on_overflow=self._kill)
        self.output = OutputTail(out_read)

    def _command(self, job: dict, probes: Path, name: str, content: bytes) -> tuple[list[str], tuple[int, ...], str | None]:
        """The argv that starts the child, the extra fds it inherits, and its host working folder."""
        python = [iso.PYTHON, "-I", "-S", "-B", "-c"]  # sys.path is set explicitly, so no venv is needed
        if self.isolation.kind == "bubblewrap":
            job.update(probes=f"{iso.INSIDE_CODE}/probes.py", student=f"{iso.INSIDE_WORKDIR}/{name}")
            boot = BOOT.format(path=[iso.INSIDE_CODE, *iso.python_paths()])
            content_fd = _pipe_with(content)
            return iso.bubblewrap_command(python + [boot, json.dumps(job)], probes, name, content_fd), (content_fd,), None
        self.tmp = tempfile.mkdtemp(prefix="gengrade-")
        Path(self.tmp, name).write_bytes(content)
        job.update(probes=str(probes), student=os.path.join(self.tmp, name))
        if self.isolation.kind == "landlock":
            job["landlock_reads"] = list(iso.landlock_reads())
        boot = BOOT.format(path=[str(iso.PACKAGE.parent), *iso.python_paths()])
        return python + [boot, json.dumps(job)], (), self.tmp

    def _kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def collect(self) -> Observations:
        """Wait for the child (up to the time limit), then parse what it sent."""
        timed_out = False
        try:
            try:
                self.proc.wait(max(0.0, self.timeout_s - (time.monotonic() - self.started)))
            except subprocess.TimeoutExpired:
                timed_out = True
            self._kill()  # the child, or anything it left running
            self.proc.wait()
        finally:
            if self.tmp:
                shutil.rmtree(self.tmp, ignore_errors=True)
        return observed(self.channel, self.output, self.proc.returncode, timed_out, self.isolation.label)


def observed(channel: ChannelReader, output: OutputTail, exit_code: int | None, timed_out: bool,
             isolation: str) -> Observations:
    """What a finished run reported: its frames, checked, and the tail of what it printed."""
    obs = Observations(timed_out=timed_out, exit_code=exit_code, output=output.text(), isolation=isolation)
    blob = channel.result()
    if blob is None:
        obs.channel_error = f"your code flooded the result channel (over {MAX_CHANNEL_BYTES >> 20} MiB)"
        return obs
    try:
        read_observations(blob, obs)
    except WireError as exc:
        obs.channel_error = f"the result channel held malformed data ({exc}), so nothing could be graded"
        obs.probes.clear()
    return obs


class ChannelReader:
    """Reads the result pipe to its end in a thread, keeping at most `limit` bytes (past that,
    `on_overflow` stops the writer and the result is None)."""

    def __init__(self, fd: int, limit: int = MAX_CHANNEL_BYTES, on_overflow=lambda: None):
        self.buffer, self.limit, self.overflow = bytearray(), limit, False
        self.on_overflow = on_overflow
        self.thread = threading.Thread(target=self._read, args=(fd,), daemon=True)
        self.thread.start()

    def _read(self, fd: int) -> None:
        with os.fdopen(fd, "rb") as stream:
            while chunk := stream.read(1 << 16):
                if len(self.buffer) + len(chunk) > self.limit:
                    self.overflow = True
                    self.on_overflow()
                    return
                self.buffer.extend(chunk)

    def result(self) -> bytes | None:
        self.thread.join(timeout=5)
        return None if self.overflow else bytes(self.buffer)


def _pipe_with(content: bytes) -> int:
    """A pipe's read end holding `content` (written by a thread: bwrap copies it into the sandbox)."""
    read_fd, write_fd = os.pipe()

    def feed() -> None:
        with os.fdopen(write_fd, "wb") as stream:
            try:
                stream.write(content)
            except BrokenPipeError:
                pass
    threading.Thread(target=feed, daemon=True).start()
    return read_fd


def read_submission(path: Path) -> bytes:
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it ({exc.strerror})") from None
    if len(content) > MAX_SUBMISSION_BYTES:
        raise UsageError(f"{path}: {len(content)} bytes is too large for a submission (at most 1 MiB)")
    return content


def child_env(home: str) -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "TMPDIR": home, "LANG": "C.UTF-8", "PYTHONHASHSEED": "0"}
    env.update({k: "1" for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")})
    if os.environ.get("CUDA_VISIBLE_DEVICES") is not None:
        env["CUDA_VISIBLE_DEVICES"] = os.environ["CUDA_VISIBLE_DEVICES"]
    return env
