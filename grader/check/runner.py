"""Start the student's code in its own process and collect what it observed.

The child gets a private temporary folder holding only the submitted file, a scrubbed
environment, resource limits, its own session (so a timeout kills it and anything it
spawned), and a pipe for results distinct from stdout, so printing cannot be mistaken
for results. The parent starts the child first and returns at once, so the judge can
import torch and prepare expectations while the child does the same.
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

from grader.sandbox.child import DEFAULT_MEMORY_MB
from grader.check.wire import WireError, decode_frames

PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
BOOT = f"import sys; sys.path.insert(0, {PACKAGE_PARENT!r}); from grader.sandbox.child import main; main()"
MAX_CHANNEL_BYTES = 256 << 20
MAX_LOG_BYTES = 64 << 10


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
    log: str = ""


class SandboxRun:
    def __init__(self, probes: Path, function: str, submission: Path, *,
                 timeout_s: float, memory_mb: int = DEFAULT_MEMORY_MB, seed: int = 0, private: tuple[Path, ...] = ()):
        self.timeout_s = timeout_s
        self.tmp = Path(tempfile.mkdtemp(prefix="gengrade-"))
        student = self.tmp / submission.name
        shutil.copyfile(submission, student)
        read_fd, write_fd = os.pipe()
        job = {"probes": str(probes), "function": function, "student": str(student), "seed": seed,
               "fd": write_fd, "memory_mb": memory_mb, "cpu_s": int(timeout_s) + 5,
               "private": [str(p) for p in private]}
        self.log_file = open(self.tmp / "output.log", "w+b")  # noqa: SIM115 - closed in collect()
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-B", "-c", BOOT, json.dumps(job)],
            cwd=self.tmp, env=_child_env(self.tmp), stdin=subprocess.DEVNULL,
            stdout=self.log_file, stderr=subprocess.STDOUT, pass_fds=(write_fd,),
            start_new_session=True)
        os.close(write_fd)
        self.started = time.monotonic()
        self.buffer = bytearray()
        self.overflow = False
        self.reader = threading.Thread(target=self._read, args=(read_fd,), daemon=True)
        self.reader.start()

    def _read(self, fd: int) -> None:
        with os.fdopen(fd, "rb") as stream:
            while chunk := stream.read(1 << 16):
                if len(self.buffer) + len(chunk) > MAX_CHANNEL_BYTES:
                    self.overflow = True
                    self._kill()
                    return
                self.buffer.extend(chunk)

    def _kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def collect(self) -> Observations:
        """Wait for the child (up to the time limit), then parse what it sent."""
        obs = Observations()
        try:
            self.proc.wait(max(0.0, self.timeout_s - (time.monotonic() - self.started)))
        except subprocess.TimeoutExpired:
            obs.timed_out = True
        self._kill()  # the child, or anything it left running
        self.proc.wait()
        self.reader.join(timeout=5)
        obs.exit_code = self.proc.returncode
        obs.log = self._read_log()
        shutil.rmtree(self.tmp, ignore_errors=True)
        if self.overflow:
            obs.channel_error = "your code flooded the result channel (over 256 MiB)"
            return obs
        _absorb(obs, bytes(self.buffer))
        return obs

    def _read_log(self) -> str:
        self.log_file.seek(0)
        text = self.log_file.read(MAX_LOG_BYTES).decode("utf-8", "replace")
        self.log_file.close()
        return text


def _child_env(home: Path) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "TMPDIR": str(home),
           "LANG": "C.UTF-8", "PYTHONHASHSEED": "0"}
    env.update({k: "1" for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")})
    if os.environ.get("CUDA_VISIBLE_DEVICES") is not None:
        env["CUDA_VISIBLE_DEVICES"] = os.environ["CUDA_VISIBLE_DEVICES"]
    return env


def _absorb(obs: Observations, blob: bytes) -> None:
    """Fill `obs` from the frames; a malformed or duplicated frame, or one after `done`, voids the rest."""
    try:
        frames = decode_frames(blob)
    except WireError as exc:
        obs.channel_error = f"the result channel was corrupted ({exc})"
        return
    for frame in frames:
        kind = frame.get("kind") if isinstance(frame, dict) else None
        if obs.finished:
            kind = None  # nothing follows `done`
        if kind == "probe" and isinstance(frame.get("name"), str) and frame["name"] not in obs.probes:
            obs.probes[frame["name"]] = frame
        elif kind == "import_error" and isinstance(frame.get("error"), dict):
            obs.import_error = frame["error"]
        elif kind == "missing_function":
            obs.missing_function = str(frame.get("function"))
        elif kind == "done":
            obs.finished = True
        else:
            obs.channel_error = "the result channel held an unexpected or repeated frame"
            return
