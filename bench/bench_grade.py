"""Class grading throughput: `grade_class` on synthetic submissions (correct, buggy, hostile),
against the floors it stands on, both one process that imports torch once, with no isolation
and no fork: (a) imports each submission fresh and runs its probes; (b) the same, and judges
the observations with the same hidden suites (the same work as grading, minus isolation).
Hostile files are left out of the floors (they would harm the benchmark's own process), and
the floors are scaled to the whole class. On a shared machine the CPU-time ratios (every
process's user + system time: grading's lanes, workers and sandboxes, the floors' one
process) hold better than wall-clock ones; the load average is printed with them.

Usage: python bench/bench_grade.py [--students 200] [--jobs 2]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader import course  # noqa: E402
from grader.grade.api import grade_class  # noqa: E402


def make_class(root: Path, students: int, only: list[str] | None = None) -> list[tuple[course.Exercise, Path]]:
    """One file per student, cycling through exercises; a mix of references, mutants and hostile code."""
    catalog = ROOT / "tests" / "catalog"
    exercises = [e for e in course.all_exercises() if not only or e.id in only]
    pick = random.Random(0)
    files = []
    for k in range(students):
        exercise = exercises[k % len(exercises)]
        choices = [exercise.reference_path, *sorted((catalog / exercise.id).glob("*/*.py"))]
        if exercise.id == "c5":
            choices += [p for p in sorted((catalog / "hostile").glob("*.py"))
                        if not p.name.startswith("_") and "c1" not in p.name and p.stem in QUICK_HOSTILE]
        source = pick.choice(choices)
        target = root / f"s{k:03d}" / exercise.file
        target.parent.mkdir(parents=True)
        text = source.read_text().replace("# __FRAMES__", (catalog / "hostile" / "_frames.py").read_text())
        target.write_text(text.replace("__COURSE__", str(ROOT)).replace("__CANARY__", "/nonexistent"))
        files.append((exercise, target))
    return files


QUICK_HOSTILE = {"read_reference_dir_fd", "damage_files", "spawn_processes", "signal_the_grader", "network",
                 "forge_done_frame", "malformed_seq", "import_hidden_suite", "escape_namespaces", "exit_in_function"}


def floor(files: list[tuple[course.Exercise, Path]], judging: bool) -> tuple[float, float]:
    """Seconds (wall, CPU) to import every submission fresh in this process and run its probes (and judge them)."""
    import torch

    from grader.check.api import judge
    from grader.check.runner import Observations
    from grader.check.wire import read_observations
    from grader.sandbox.child import load_module
    from grader.sandbox.frames import encode_frame
    from grader.sandbox.probing import probes_of

    torch.set_num_threads(1)
    probes = {e.id: probes_of(load_module(e.probes_path, f"bench_probes_{e.id}")) for e in course.all_exercises()}
    start, start_cpu = time.perf_counter(), cpu_s()
    for k, (exercise, path) in enumerate(files):
        frames = b""
        try:
            spec = importlib.util.spec_from_file_location(f"bench_submission_{k}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            fn = getattr(module, exercise.function)
            for name, probe in probes[exercise.id].items():
                try:
                    frames += encode_frame({"kind": "probe", "name": name, "outputs": probe(fn, k)})
                except Exception:  # noqa: BLE001 - the floor only times the work
                    pass
        except BaseException:  # noqa: BLE001
            pass
        if judging:
            observations = Observations()
            read_observations(frames + encode_frame({"kind": "done"}), observations)
            judge(exercise, lambda: observations, k, exercise.file, time.monotonic())
    return time.perf_counter() - start, cpu_s() - start_cpu


def cpu_s() -> float:
    """User + system seconds of this process and of its children that have ended."""
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                   resource.getrusage(resource.RUSAGE_CHILDREN)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--exercises", nargs="*", help="only these (default: all; c17 trains for seconds and "
                        "dominates a class that holds it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = make_class(Path(tmp) / "class", args.students, args.exercises)
        start, start_cpu = time.perf_counter(), cpu_s()
        summary = grade_class(Path(tmp) / "class", Path(tmp) / "out", jobs=args.jobs)
        ours, ours_cpu = time.perf_counter() - start, cpu_s() - start_cpu
        safe = [(e, p) for e, p in files if not _hostile(p)]
        scale = len(files) / max(1, len(safe))
        floors = {"(a) probes only": floor(safe, judging=False), "(b) probes and verdicts": floor(safe, judging=True)}
    print(f"{args.students} submissions, {args.jobs} lanes ({summary.isolation}): {ours:.1f} s, "
          f"{args.students / ours:.1f} submissions/s; CPU {ours_cpu:.1f} s; load average {os.getloadavg()[0]:.1f}")
    for label, (wall, cpu) in floors.items():
        base, base_cpu = wall * scale, cpu * scale
        print(f"floor {label}, no isolation, one process: {base:.1f} s, {args.students / base:.1f} submissions/s; "
              f"grading's throughput is {base / ours:.2f} x this floor's; CPU {base_cpu:.1f} s, "
              f"so grading costs {ours_cpu / base_cpu:.2f} x this floor's CPU")


def _hostile(path: Path) -> bool:
    """Hostile files are left out of the floor's in-process run (they would harm the benchmark itself)."""
    text = path.read_text()
    return any(word in text for word in ("os.kill", "fork", "os._exit", "sys.exit", "closerange", "/proc", "dir_fd",
                                         "SystemExit", "rmtree", "socket", "unshare"))


if __name__ == "__main__":
    main()
