"""`gengrade grade`: a class of correct, buggy, malformed and hostile submissions, some zipped;
every score right, bad entries reported row by row, resumable after kill -9, on a Dask cluster too."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import course
from grader.check import isolation
from grader.cli import main
from grader.errors import UsageError
from grader.grade.api import grade_class
from grader.grade.ledger import NAME as LEDGER
from grader.grade.submissions import read_entry

from isolation_marks import ANY

CATALOG = Path(__file__).parent / "catalog"
C1, C5 = course.exercise_by_id("c1"), course.exercise_by_id("c5")


def folder(root: Path, student: str, files: dict[str, str]) -> Path:
    path = root / student
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    return path


def zipped(root: Path, student: str, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(root / f"{student}.zip", "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return root / f"{student}.zip"


@pytest.fixture
def class_folder(tmp_path):
    root = tmp_path / "submissions"
    root.mkdir()
    right = {C1.file: C1.reference_path.read_text(), C5.file: C5.reference_path.read_text()}
    folder(root, "s01-right", right)
    zipped(root, "s02-zipped-nested", {f"work/{k}": v for k, v in right.items()} | {"notes.txt": "hi"})
    folder(root, "s03-stub", {C5.file: (C5.stub_dir / C5.file).read_text()})
    folder(root, "s04-buggy", {C5.file: (CATALOG / "c5/mutants/missing_half.py").read_text()})
    folder(root, "s05-hostile", {C5.file: (CATALOG / "hostile/signal_the_grader.py").read_text()})
    folder(root, "s06-fork-bomb", {C5.file: (CATALOG / "hostile/fork_bomb.py").read_text()})
    (root / "s07-not-a-zip.zip").write_text("plain text")
    (root / "s08-empty").mkdir()
    folder(root, "s09-wrong-names", {"kl.py": "x = 1"})
    folder(root, "s10-twice", {f"a/{C5.file}": "x = 1", f"b/{C5.file}": "x = 2"})
    (root / "s11-stray.txt").write_text("not a submission")
    folder(root, os.fsdecode(b"s12-caf\xe9"), {C5.file: C5.reference_path.read_text()})  # unzipped under latin-1
    return root


def gradebook(out: Path) -> dict[str, dict[str, str]]:
    with (out / "gradebook.csv").open() as stream:
        return {row["student_id"]: row for row in csv.DictReader(stream)}


@ANY
def test_a_class_is_graded_right_and_every_entry_gets_a_row(class_folder, tmp_path):
    out = tmp_path / "out"
    summary = grade_class(class_folder, out, exercise_ids=["c1", "c5"], jobs=2)
    book = gradebook(out)
    assert summary.students == 12 and summary.failures == []
    assert book["(points possible)"]["total"] == "20"
    assert (book["s01-right"]["c1"], book["s01-right"]["c5"], book["s01-right"]["total"]) == ("10", "10", "20")
    assert book["s02-zipped-nested"]["total"] == "20"
    assert (book["s03-stub"]["c5"], book["s03-stub"]["c1"]) == ("0", "")
    assert book["s04-buggy"]["c5"] == "2"  # the public dtype check and inputs unchanged; the device: a right loss only
    assert book["s05-hostile"]["c5"] == book["s06-fork-bomb"]["c5"] == "2"  # the honest fallback's score, no more
    assert "not a zip" in book["s07-not-a-zip"]["notes"] and "empty" in book["s08-empty"]["notes"]
    assert "none of the exercise files" in book["s09-wrong-names"]["notes"]
    assert "2 files are named kl_loss.py" in book["s10-twice"]["notes"]
    assert "neither a folder nor a .zip" in book["s11-stray.txt"]["notes"]
    assert book["s12-caf\\xe9"]["c5"] == "10" and "shown as s12-caf\\xe9" in book["s12-caf\\xe9"]["notes"]
    lines = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert len(lines) == 9 and {(r["student"], r["exercise"]) for r in lines} >= {("s04-buggy", "c5")}
    buggy = next(r for r in lines if r["student"] == "s04-buggy")
    assert {c["misconception"] for c in buggy["checks"]} >= {"missing-half"}
    feedback = (out / "feedback" / "s04-buggy.md").read_text()
    assert "forgot the factor 1/2" in feedback and "Score: 2/10" in feedback
    assert (out / "feedback" / "s04-buggy.html").exists() and (out / "feedback" / "s07-not-a-zip.html").exists()
    report = (out / "report.html").read_text()
    assert "<svg" in report and "missing-half" in report and "s07-not-a-zip" in report


@ANY
def test_a_second_run_reuses_the_ledger_and_regrades_only_changed_files(class_folder, tmp_path):
    out = tmp_path / "out"
    grade_class(class_folder, out, exercise_ids=["c5"], jobs=2)
    first = (out / "gradebook.csv").read_text()
    again = grade_class(class_folder, out, exercise_ids=["c5"], jobs=2)
    assert again.graded == 0 and again.reused == 7 and (out / "gradebook.csv").read_text() == first
    (class_folder / "s04-buggy" / C5.file).write_text(C5.reference_path.read_text())
    (class_folder / "s03-stub" / C5.file).unlink()
    (class_folder / "s03-stub" / "readme.txt").write_text("gave up")
    changed = grade_class(class_folder, out, exercise_ids=["c5"], jobs=2)
    book = gradebook(out)
    assert changed.graded == 1 and book["s04-buggy"]["c5"] == "10"
    assert book["s03-stub"]["c5"] == "" and "none of the exercise files" in book["s03-stub"]["notes"]


@ANY
def test_a_run_killed_with_sigkill_resumes_without_losing_or_repeating_a_row(class_folder, tmp_path):
    """SIGKILL to the command alone (not its process group): every process it started dies with it
    (pool workers, the resource tracker, the lanes), lane folders and /dev/shm semaphores go,
    and a rerun finishes the class."""
    out = tmp_path / "out"
    for k in range(12):  # more work, so the kill lands in the middle
        folder(class_folder, f"t{k:02d}", {C5.file: C5.reference_path.read_text()})
    command = [sys.executable, "-m", "grader", "grade", str(class_folder), "--out", str(out), "--exercises", "c5",
               "--jobs", "2"]
    process, left = _kill_mid_run(command, out, tmp_path / "tmp", signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL and left == ([], [], []), left
    interrupted = _rows(out / LEDGER)
    assert 1 <= interrupted < 19, interrupted
    result = CliRunner().invoke(main, command[3:])
    assert result.exit_code == 0, result.output
    assert f"{19 - interrupted} files graded, {interrupted} unchanged" in result.output
    with sqlite3.connect(out / LEDGER) as db:
        assert db.execute("SELECT count(*), count(DISTINCT student || exercise) FROM graded").fetchone() == (19, 19)
    clean = tmp_path / "clean"
    grade_class(class_folder, clean, exercise_ids=["c5"], jobs=2)
    assert (clean / "gradebook.csv").read_text() == (out / "gradebook.csv").read_text()


@ANY
def test_sigterm_is_a_clean_stop_that_leaves_nothing_behind(tmp_path):
    root = tmp_path / "submissions"
    for k in range(8):
        folder(root, f"t{k:02d}", {C5.file: C5.reference_path.read_text()})
    out = tmp_path / "out"
    command = [sys.executable, "-m", "grader", "grade", str(root), "--out", str(out), "--jobs", "2"]
    process, left = _kill_mid_run(command, out, tmp_path / "tmp", signal.SIGTERM)
    assert process.returncode == 143 and left == ([], [], []), left
    assert "run the same command to resume" in process.stderr.read().decode()
    assert 1 <= _rows(out / LEDGER) < 8


def _kill_mid_run(command: list[str], out: Path, tmp: Path, signum: int) -> tuple[subprocess.Popen, tuple]:
    """Start `command`, send `signum` to it alone once 1 result is in, and return it with what
    outlived it: (processes, lane folders, semaphores), polled for up to 60 s."""
    tmp.mkdir()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                               env={**os.environ, "TMPDIR": str(tmp)})
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and _rows(out / LEDGER) < 1 and process.poll() is None:
        time.sleep(0.05)
    started = _descendants(process.pid)
    semaphores = {name for pid, _ in [(process.pid, ""), *started] for name in _semaphores(pid)}
    assert process.poll() is None and len(started) >= 4 and semaphores, (started, semaphores)  # workers, tracker, lanes
    os.kill(process.pid, signum)
    process.wait(60)
    deadline = time.monotonic() + 60
    while True:
        left = ([p for p in started if _alive(p)], sorted(p.name for p in tmp.glob("gengrade-lane-*")),
                sorted(s for s in semaphores if (Path("/dev/shm") / s).exists()))
        if left == ([], [], []) or time.monotonic() > deadline:
            return process, left
        time.sleep(0.1)


@ANY
def test_jobs_pending_with_a_worker_that_dies_are_run_again_once_and_reported(tmp_path):
    """A pool worker killed outright (as the OOM killer would) breaks the pool: the jobs pending in it
    run again on a fresh pool, the summary names them, and the dead worker's lane folder goes too."""
    root, files = tmp_path / "submissions", 24  # enough that some are still pending when the worker dies
    for k in range(files):
        folder(root, f"t{k:02d}", {C5.file: C5.reference_path.read_text()})
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    tmp.mkdir()
    command = [sys.executable, "-m", "grader", "grade", str(root), "--out", str(out), "--jobs", "2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                               env={**os.environ, "TMPDIR": str(tmp)})
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and _rows(out / LEDGER) < 1 and process.poll() is None:
        time.sleep(0.05)
    workers = [pid for pid, _ in _descendants(process.pid) if b"spawn_main" in _cmdline(pid)
               and _stat(pid)[1] == str(process.pid)]
    assert process.poll() is None and len(workers) == 2, workers
    os.kill(workers[0], signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr.decode()
    retried = re.findall(r"retried after its worker was lost: (t\d\d) c5 \(a worker died\)", stderr.decode())
    assert 1 <= len(retried) < files and f"{files} files graded" in stdout.decode(), (stdout, stderr)
    assert [row["c5"] for student, row in gradebook(out).items() if student.startswith("t")] == ["10"] * files
    assert _rows(out / LEDGER) == files and sorted(tmp.glob("gengrade-*")) == []


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _descendants(root: int) -> list[tuple[int, str]]:
    """(pid, start time) of every process below `root`."""
    parent = {int(p.name): int(fields[1]) for p in Path("/proc").iterdir() if p.name.isdigit()
              and (fields := _stat(int(p.name)))}
    found, todo = [], [root]
    while todo:
        here = todo.pop()
        for pid, ppid in parent.items():
            if ppid == here and (fields := _stat(pid)):
                found.append((pid, fields[19]))
                todo.append(pid)
    return found


def _alive(process: tuple[int, str]) -> bool:
    fields = _stat(process[0])
    return fields is not None and fields[19] == process[1] and fields[0] != "Z"


def _semaphores(pid: int) -> set[str]:
    """The /dev/shm entries a process has mapped (multiprocessing's named semaphores)."""
    try:
        maps = Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return set()
    return set(re.findall(r"/dev/shm/(\S+)", maps))


def _rows(ledger: Path) -> int:
    try:
        with sqlite3.connect(f"file:{ledger}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT count(*) FROM graded").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_without_isolation_grading_refuses_unless_told(class_folder, tmp_path):
    with pytest.raises(UsageError, match="--no-isolation"):
        grade_class(class_folder, tmp_path / "out", exercise_ids=["c5"], isolation=isolation.NONE)
    assert not (tmp_path / "out").exists()


def test_an_out_folder_holding_other_files_needs_force(class_folder, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "precious.txt").write_text("keep")
    result = CliRunner().invoke(main, ["grade", str(class_folder), "--out", str(out)])
    assert result.exit_code == 2 and "--force" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["precious.txt"]


@ANY
def test_grade_json_is_the_summary_alone_on_stdout(tmp_path):
    root = tmp_path / "submissions"
    folder(root, "s01", {C5.file: C5.reference_path.read_text()})
    result = CliRunner().invoke(main, ["grade", str(root), "--out", str(tmp_path / "out"), "--json"])
    summary = json.loads(result.stdout)
    assert result.exit_code == 0 and (summary["students"], summary["graded"], summary["failures"]) == (1, 1, [])
    assert summary["outputs"][0] == str(tmp_path / "out" / "gradebook.csv")


def test_a_missing_submissions_folder_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "nope"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "no such folder" in result.output


@ANY
def test_the_same_jobs_run_on_a_dask_cluster(class_folder, tmp_path):
    import distributed  # the `dask` extra, which scripts/test installs

    for entry in ("s05-hostile", "s06-fork-bomb", "s02-zipped-nested"):
        shutil.rmtree(class_folder / entry) if (class_folder / entry).is_dir() else (class_folder / f"{entry}.zip").unlink()
    local = tmp_path / "local"
    grade_class(class_folder, local, exercise_ids=["c5"], jobs=2)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        remote = tmp_path / "remote"
        summary = grade_class(class_folder, remote, exercise_ids=["c5"], scheduler=cluster.scheduler_address)
    assert summary.graded == 4 and summary.failures == [] and summary.retried == []
    assert (remote / "gradebook.csv").read_text() == (local / "gradebook.csv").read_text()


def test_a_symbolic_link_is_named_and_never_followed(tmp_path):
    """A link to the reference (in a folder, or stored in a zip) must not be graded as the
    student's file: the entry gets a row that says what to do instead."""
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / C5.file).symlink_to(C5.reference_path)
    link = zipfile.ZipInfo(f"work/{C5.file}")
    link.create_system, link.external_attr = 3, (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(tmp_path / "zipped.zip", "w") as archive:
        archive.writestr(link, str(C5.reference_path))
    for entry, shown in ((linked, C5.file), (tmp_path / "zipped.zip", f"work/{C5.file}")):
        submission = read_entry(entry, [C5])
        assert submission.files == {}
        assert submission.problems == {"c5": f"{shown} is a symbolic link, which is not followed: submit the file itself"}


SLOW_START = "import time\ntime.sleep(2)  # longer than --timeout 1 allows\n"


@ANY
def test_a_stale_result_is_regraded_and_the_summary_says_why(tmp_path):
    """A correct file that timed out under --timeout 1 is regraded under the exercise's own limit;
    --regrade STUDENT forces one student; an older ledger's rows are regraded as another grader's."""
    root, out = tmp_path / "submissions", tmp_path / "out"
    folder(root, "r1", {C5.file: SLOW_START + C5.reference_path.read_text()})
    folder(root, "r2", {C5.file: C5.reference_path.read_text()})
    run = lambda *extra: CliRunner().invoke(main, ["grade", str(root), "--out", str(out), "--exercises", "c5", *extra])
    tight = run("--timeout", "1")
    assert tight.exit_code == 0 and gradebook(out)["r1"]["c5"] != "10", tight.output
    default = run()
    assert "2 files graded (2 regraded: 2 limits), 0 unchanged" in default.output, default.output
    assert gradebook(out)["r1"]["c5"] == gradebook(out)["r2"]["c5"] == "10"
    forced = run("--regrade", "r2", "--json")
    summary = json.loads(forced.stdout)
    assert (summary["graded"], summary["reused"], summary["regraded"]) == (1, 1, {"forced": 1}), forced.output
    with sqlite3.connect(out / LEDGER) as db:  # the ledger as the version before this one wrote it
        for column in ("suite", "grader", "timeout_s", "memory_mb", "isolation"):
            db.execute(f"ALTER TABLE graded DROP COLUMN {column}")
    migrated = run()
    assert "2 files graded (2 regraded: 2 grader version), 0 unchanged" in migrated.output, migrated.output
    assert "0 files graded, 2 unchanged" in run().output
    unknown = run("--regrade", "nobody")
    assert unknown.exit_code == 2 and "--regrade nobody: no such student" in unknown.output
    named_only = run("r2")
    assert named_only.exit_code == 2 and "r2: student ids after SUBMISSIONS name whom to regrade; add --regrade" \
        in named_only.output


@ANY
def test_a_resubmission_replaces_what_it_changes_and_only_that(tmp_path):
    root, out = tmp_path / "submissions", tmp_path / "out"
    right = {C1.file: C1.reference_path.read_text(), C5.file: C5.reference_path.read_text()}
    folder(root, "r1", right)
    folder(root, "r2", {f"a/{C5.file}": right[C5.file], f"b/{C5.file}": right[C5.file]})
    folder(root, "r3", {C5.file: right[C5.file]})
    grade_class(root, out, exercise_ids=["c1", "c5"])
    before = gradebook(out)
    assert [before[s]["total"] for s in ("r1", "r2", "r3")] == ["20", "0", "10"]
    assert "2 files are named" in before["r2"]["notes"]
    (root / "r1" / C1.file).unlink()  # r1 drops c1
    shutil.rmtree(root / "r2" / "b")  # r2 fixes the clash
    shutil.rmtree(root / "r3")  # r3 resubmits a broken zip
    (root / "r3.zip").write_bytes(zipped(tmp_path, "r3", right).read_bytes()[:100])
    summary = grade_class(root, out, exercise_ids=["c1", "c5"])
    after = gradebook(out)
    assert (summary.graded, summary.reused, summary.problems) == (1, 1, 1)
    assert (after["r1"]["c1"], after["r1"]["c5"], after["r1"]["notes"]) == ("", "10", "")
    assert (after["r2"]["c5"], after["r2"]["notes"]) == ("10", "")
    assert (after["r3"]["c5"], after["r3"]["total"]) == ("", "0") and "r3.zip cannot be read" in after["r3"]["notes"]
    reports = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert sorted((r["student"], r["exercise"]) for r in reports) == [("r1", "c5"), ("r2", "c5")]


@ANY
def test_a_job_whose_dask_worker_is_lost_is_retried_and_reported(tmp_path):
    import distributed

    root = tmp_path / "submissions"
    slow = C5.reference_path.read_text() + "\n\nimport time\n_right = vae_kl_loss\n\n\ndef vae_kl_loss(*args):\n" \
                                           "    time.sleep(0.5)\n    return _right(*args)\n"
    folder(root, "r1", {C5.file: slow})
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as watcher:
        done: dict = {}
        grading = threading.Thread(target=lambda: done.update(summary=grade_class(
            root, tmp_path / "out", exercise_ids=["c5"], scheduler=cluster.scheduler_address)))
        grading.start()
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not any(watcher.processing().values()):
            time.sleep(0.1)
        time.sleep(2)  # the job is running on the worker (its lane starting, or grading)
        (pid,) = watcher.run(os.getpid).values()
        os.kill(pid, signal.SIGKILL)  # the nanny starts another worker; the scheduler runs the job again
        grading.join(300)
    summary = done["summary"]
    assert (summary.graded, summary.failures, summary.retried) == (1, [], ["r1 c5 (1 lost)"])
    assert gradebook(tmp_path / "out")["r1"]["c5"] == "10"


@ANY
def test_a_lone_surrogate_from_a_submission_still_yields_every_output(tmp_path):
    root, out = tmp_path / "submissions", tmp_path / "out"
    folder(root, "r1", {C5.file: "def vae_kl_loss(mu, log_var):\n    raise ValueError('\\udc80')\n"})
    folder(root, "r2", {C5.file: C5.reference_path.read_text()})
    grade_class(root, out, exercise_ids=["c5"])
    assert gradebook(out)["r2"]["c5"] == "10" and (out / "feedback" / "r1.md").read_text(encoding="utf-8")
    assert (out / "report.html").exists() and len((out / "results.jsonl").read_text().splitlines()) == 2
