"""A simulated deadline against `gengrade serve`: students upload bursts of correct, buggy and
hostile files over a period, each following its submission to full feedback (server-sent
events), through a real HTTP client on loopback. Reports time from upload to full feedback
(p50, p95, max), submissions lost or graded twice, the queue's fairness (each student's median
wait), and the floor: one `gengrade check` of the same kind of file.

Usage: python bench/bench_serve.py [--students 300] [--submissions 900] [--minutes 10]
                                   [--database URL] [--workers 2]
The defaults are the deadline the README reports; a quick look: --students 60 --submissions 120 --minutes 2.
Bounded: every request has a timeout, the run stops by itself, and it only talks to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from test_serve_live import Server, gengrade  # noqa: E402

from grader import course  # noqa: E402

HOSTILE = ["read_reference_dir_fd", "spawn_processes", "network", "forge_done_frame", "exit_in_function"]


def files_to_submit(count: int, rng: random.Random) -> list[tuple[str, str, bytes]]:
    """(exercise, file name, content): half correct, a third buggy, the rest hostile."""
    catalog, out = ROOT / "tests" / "catalog", []
    exercises = course.all_exercises()
    for _ in range(count):
        exercise = rng.choice(exercises)
        roll = rng.random()
        if roll < 0.5:
            source = exercise.reference_path.read_text()
        elif roll < 0.85:
            source = rng.choice(sorted((catalog / exercise.id / "mutants").glob("*.py"))).read_text()
        else:
            path = catalog / "hostile" / f"{rng.choice(HOSTILE)}.py"
            source = path.read_text().replace("# __FRAMES__", (catalog / "hostile" / "_frames.py").read_text())
            source = source.replace("__COURSE__", str(ROOT)).replace("__CANARY__", "/nonexistent")
            exercise = course.exercise_by_id("c5")
        out.append((exercise.id, exercise.file, source.encode()))
    return out


def follow(base: str, token: str, exercise: str, name: str, content: bytes) -> tuple[float, str]:
    """Upload, then read the event stream to the result: (seconds, final state)."""
    start = time.monotonic()
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=httpx.Timeout(30, read=300)) as http:
        sent = http.post("/api/submissions", data={"exercise": exercise}, files={"file": (name, content)})
        if sent.status_code != 201:
            return time.monotonic() - start, f"refused {sent.status_code}"
        with http.stream("GET", f"/api/submissions/{sent.json()['id']}/events") as stream:
            state = "lost"
            for line in stream.iter_lines():
                if line.startswith("event: result"):
                    state = "result"
                    break
    return time.monotonic() - start, state


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--submissions", type=int, default=900)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--database")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        url = args.database or f"sqlite:///{cwd / 'bench.sqlite'}"
        (cwd / "roster.csv").write_text("student_id,name\n" + "".join(f"s{k:03d},S{k}\n" for k in range(args.students)))
        rows = gengrade("serve", "roster", "roster.csv", "--database", url, cwd=cwd).stdout.splitlines()[1:]
        tokens = [r.split(",")[2].strip() for r in rows]
        admin = gengrade("serve", "instructor", "--database", url, cwd=cwd).stdout.strip()
        for exercise in course.all_exercises():  # a deadline: nobody is held back by the bucket
            gengrade_put(url, cwd, exercise.id)
        server = Server(cwd, url, workers=args.workers)
        try:
            run(server.base, tokens, admin, args, rng)
        finally:
            server.stop()


def gengrade_put(url: str, cwd: Path, exercise: str) -> None:
    from grader.serve.store import Store
    from grader.serve.tables import Policy

    store = Store(url)
    with store.transaction() as session:
        session.merge(Policy(exercise=exercise, deadline=None, late="accept", penalty_per_day=0.0, before="full",
                             after="full", capacity=100, refill_s=60.0))
    store.close()


def run(base: str, tokens: list[str], admin: str, args, rng: random.Random) -> None:
    work = files_to_submit(args.submissions, rng)
    bursts = 5
    period = args.minutes * 60 / bursts
    results: list[tuple[str, float, str]] = []
    lock = threading.Lock()

    def one(k: int) -> None:
        student = tokens[rng.randrange(len(tokens))]
        exercise, name, content = work[k]
        seconds, state = follow(base, student, exercise, name, content)
        with lock:
            results.append((student, seconds, state))

    with ThreadPoolExecutor(64) as pool:
        for burst in range(bursts):
            start = time.monotonic()
            share = range(burst * len(work) // bursts, (burst + 1) * len(work) // bursts)
            for k in share:  # each burst arrives within its first fifth
                pool.submit(one, k)
                time.sleep(period / 5 / max(1, len(share)))
            time.sleep(max(0.0, period - (time.monotonic() - start)))
    times = sorted(s for _, s, state in results if state == "result")
    lost = [state for _, _, state in results if state != "result"]
    stats = httpx.get(base + "/api/stats", headers={"Authorization": f"Bearer {admin}"}, timeout=30).json()
    print(f"{len(results)} submissions by {len(tokens)} students over {args.minutes:g} min in {bursts} bursts, "
          f"{args.workers} workers")
    print(f"upload to full feedback: p50 {statistics.median(times):.2f} s, p95 {times[int(0.95 * (len(times) - 1))]:.2f} s, "
          f"max {times[-1]:.2f} s")
    print(f"not finished: {len(lost)} {sorted(set(lost))}; server states: {stats['states']}")
    waits = sorted(statistics.median(s for who, s, state in results if who == student and state == "result")
                   for student in {who for who, _, state in results if state == "result"})
    print(f"fairness: each student's median time to feedback: p50 {statistics.median(waits):.2f} s, "
          f"p95 {waits[int(0.95 * (len(waits) - 1))]:.2f} s, worst {waits[-1]:.2f} s over {len(waits)} students")
    print(f"server-side time to feedback: p50 {stats['p50']:.2f} s, p95 {stats['p95']:.2f} s")
    floor = subprocess.run([sys.executable, "-m", "grader", "check", str(ROOT / "exercises/c5")], capture_output=True)
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "grader", "check", str(ROOT / "exercises/c5")], capture_output=True)
    print(f"floor: one gengrade check of a c5 stub: {time.monotonic() - start:.2f} s (exit {floor.returncode})")


if __name__ == "__main__":
    main()
