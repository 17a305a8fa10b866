"""The student's process: import the submission, run the suite's probes, stream observations.

This is the only place student code runs. It reports what happened (values, exceptions
with the student's own frames) as frames on a dedicated pipe and decides nothing: a pass
or fail is never computed here, so nothing the submission does here can forge one.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any, BinaryIO


DEFAULT_MEMORY_MB = 4096  # address-space limit of a submission's process


def limit_resources(memory_mb: int, cpu_s: int) -> None:
    """Address-space, CPU, file-size and core-dump limits for this process and its children."""
    import resource

    limits = {
        resource.RLIMIT_AS: memory_mb << 20,
        resource.RLIMIT_CPU: cpu_s,
        resource.RLIMIT_FSIZE: 64 << 20,
        resource.RLIMIT_CORE: 0,
    }
    for kind, value in limits.items():
        try:
            resource.setrlimit(kind, (value, value))
        except (ValueError, OSError):  # pragma: no cover - a platform without that limit
            pass


WRITE_EVENTS = {"os.remove", "os.rmdir", "os.rename", "os.replace", "os.truncate", "os.chmod", "os.chown",
                "os.mkdir", "os.symlink", "os.link", "os.utime", "shutil.rmtree", "shutil.move"}
DENIED_EVENTS = {"os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
                 "subprocess.Popen", "os.kill", "os.killpg", "signal.pthread_kill", "socket.connect",
                 "socket.bind", "socket.sendto", "sys.addaudithook"}


def guard(workdir: str, private: list[str]) -> None:
    """Refuse, for the rest of this process, what a submission has no business doing.

    An audit hook (PEP 578) cannot be removed once added. It blocks writes, deletions and
    renames outside the sandbox's own folder, reads of the instructor's files, starting
    processes, signals and sockets. It is a guard against accidents and casual abuse, not
    an OS-level sandbox; the verdict's integrity does not depend on it (see judge.py).
    """
    home = os.path.realpath(workdir) + os.sep
    secret = tuple(os.path.realpath(p) + os.sep for p in private)

    def inside(path: Any) -> bool:
        return isinstance(path, (str, bytes, os.PathLike)) and os.path.realpath(os.fsdecode(path)).startswith(home)

    def hook(event: str, args: tuple) -> None:
        if event in DENIED_EVENTS:
            raise PermissionError(f"gengrade sandbox: {event} is not allowed while grading")
        if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
            path, mode, flags = args[0], args[1] or "r", args[2] or 0
            writes = any(c in str(mode) for c in "wax+") or flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
            if (writes and not inside(path)) or os.path.realpath(os.fsdecode(path)).startswith(secret):
                raise PermissionError(f"gengrade sandbox: may not open {os.fsdecode(path)!r} ({mode})")
        elif event in WRITE_EVENTS and args and not inside(args[0]):
            raise PermissionError(f"gengrade sandbox: {event} outside the sandbox folder is not allowed")

    sys.addaudithook(hook)


STUDENT_MODULE = "submission"  # the name the student's file is imported under


def student_frames(frames: list[traceback.FrameSummary]) -> list[traceback.FrameSummary]:
    """Those of `frames` (a traceback or a stack) that run code of the student's file."""
    student = getattr(sys.modules.get(STUDENT_MODULE), "__file__", None)
    return [f for f in frames if f.filename == student]


def where(frames: list[traceback.FrameSummary]) -> str:
    """' (line N: code)' of the innermost of the student's frames, or ''."""
    return f" (line {frames[-1].lineno}: {(frames[-1].line or '').strip()})" if frames else ""


def raised_by_student(exc: BaseException) -> bool:
    """Whether the innermost frame of the traceback is the student's own code (e.g. the stub's raise)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and student_frames(frames[-1:]) == frames[-1:]


def describe_error(exc: BaseException) -> dict[str, Any]:
    """The exception as the student should see it: type, message and their frames only."""
    frames = [{"line": f.lineno, "function": f.name, "code": (f.line or "").strip()}
              for f in student_frames(traceback.extract_tb(exc.__traceback__))]
    info: dict[str, Any] = {"type": type(exc).__name__, "message": str(exc)[:2000], "frames": frames[-8:],
                            "raised_by_student": raised_by_student(exc)}
    if isinstance(exc, SyntaxError):
        info.update(line=exc.lineno, offset=exc.offset, code=(exc.text or "").rstrip("\n"))
    return info


class Channel:
    def __init__(self, stream: BinaryIO):
        self.stream = stream

    def send(self, **payload: Any) -> None:
        from grader.sandbox.frames import encode_frame

        self.stream.write(encode_frame(payload))
        self.stream.flush()


def load_module(path: Path, name: str) -> ModuleType:
    """Import a Python file by path under a private module name (no sys.path changes)."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def run(job: dict[str, Any], channel: Channel) -> None:
    import torch

    torch.set_num_threads(1)
    from grader.sandbox.probing import probes_of

    probes = probes_of(load_module(Path(job["probes"]), "gengrade_probes"))
    student_file = job["student"]
    guard(os.path.dirname(student_file), job.get("private", []))
    try:
        module = load_module(Path(student_file), STUDENT_MODULE)
    except BaseException as exc:  # noqa: BLE001 - any failure to import is the student's to see
        channel.send(kind="import_error", error=describe_error(exc))
        return
    fn = getattr(module, job["function"], None)
    if not callable(fn):
        channel.send(kind="missing_function", function=job["function"])
        return
    for index, (name, probe) in enumerate(probes.items()):
        torch.manual_seed(job["seed"] + index)
        try:
            outputs = probe(fn, job["seed"])
        except Exception as exc:  # noqa: BLE001 - reported, judged by the grader
            channel.send(kind="probe", name=name, error=describe_error(exc))
        else:
            channel.send(kind="probe", name=name, outputs=outputs)
    channel.send(kind="done")


def main() -> None:
    job = json.loads(sys.argv[1])
    limit_resources(job["memory_mb"], job["cpu_s"])
    with os.fdopen(job["fd"], "wb", closefd=True) as stream:
        run(job, Channel(stream))


if __name__ == "__main__":
    main()
