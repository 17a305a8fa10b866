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

        try:
            self.stream.write(encode_frame(payload))
            self.stream.flush()
        except BrokenPipeError:  # the grader stopped listening (it voided the run): nothing to add
            os._exit(0)


def load_module(path: Path, name: str) -> ModuleType:
    """Import a Python file by path under a private module name (no sys.path changes)."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def prepare_torch() -> None:
    """What every run needs, loaded while the process is still trusted: torch on one thread, the
    frame encoder and the probe helpers."""
    import torch

    torch.set_num_threads(1)
    from grader.sandbox import frames, probing  # noqa: F401 - nothing may need an import later


def prepare(job: dict[str, Any]) -> dict[str, Any]:
    """torch and the exercise's probes, by name."""
    from grader.sandbox.probing import probes_of

    prepare_torch()
    return probes_of(load_module(Path(job["probes"]), "gengrade_probes"))


def run(job: dict[str, Any], probes: dict[str, Any], channel: Channel) -> None:
    """Import the submission and run every probe on its function, reporting each as a frame."""
    import torch

    from grader.sandbox import probing

    try:
        module = load_module(Path(job["student"]), STUDENT_MODULE)
    except BaseException as exc:  # noqa: BLE001 - any failure to import is the student's to see
        channel.send(kind="import_error", error=describe_error(exc))
        return
    fn = getattr(module, job["function"], None)
    if not callable(fn):
        channel.send(kind="missing_function", function=job["function"])
        return
    probing.new_submission()
    for index, (name, probe) in enumerate(probes.items()):
        torch.manual_seed(job["seed"] + index)
        try:
            channel.send(kind="probe", name=name, outputs=probe(fn, job["seed"]))
        except Exception as exc:  # noqa: BLE001 - reported (raised, or returned what cannot be sent)
            channel.send(kind="probe", name=name, error=describe_error(exc))
    channel.send(kind="done")


def main() -> None:
    """Entry point of the sandboxed interpreter: `python -I -S -B -c BOOT JOB`."""
    from grader.sandbox.confine import Policy, confine

    job = json.loads(sys.argv[1])
    channel = Channel(os.fdopen(job["fd"], "wb", closefd=True))
    probes = prepare(job)
    reads = job.get("landlock_reads")
    confine(Policy(workdir=os.path.dirname(job["student"]), memory_mb=job["memory_mb"], cpu_s=job["cpu_s"],
                   seccomp=job["seccomp"], landlock_reads=tuple(reads) if reads is not None else None))
    run(job, probes, channel)


if __name__ == "__main__":
    main()
