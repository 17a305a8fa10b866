"""Broken and hostile submissions: clear reports, no forged scores, no damage, no hangs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import pytest

from grader import course
from grader.check import api

from isolation_marks import ANY, BUBBLEWRAP

EXERCISE = course.exercise_by_id("c5")
REFERENCE = EXERCISE.reference_path.read_text()


def grade(tmp_path: Path, source: str, **options):
    folder = tmp_path / "c5"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXERCISE.stub_dir / "exercise.toml", folder)
    (folder / EXERCISE.file).write_text(source)
    return api.check_submission(EXERCISE, folder / EXERCISE.file, **options)


def messages(report):
    return report.headline + "\n".join(c.message for c in report.checks)


def test_an_endless_loop_times_out_quickly(tmp_path):
    start = time.monotonic()
    report = grade(tmp_path, "def vae_kl_loss(mu, log_var):\n    while True:\n        pass\n", timeout_s=4)
    assert time.monotonic() - start < 20
    assert report.score == 0 and {c.outcome for c in report.checks} == {"not-run"}
    assert "time limit" in report.checks[0].message


def test_a_syntax_error_names_file_line_and_code(tmp_path):
    report = grade(tmp_path, "import torch\n\ndef vae_kl_loss(mu, log_var)\n    return mu\n")
    assert report.score == 0
    assert "kl_loss.py, line 3" in report.headline and "SyntaxError" in report.headline
    assert "def vae_kl_loss(mu, log_var)" in report.headline


def test_an_import_error_is_reported_without_grader_frames(tmp_path):
    report = grade(tmp_path, "import torchh\n")
    assert "ModuleNotFoundError" in report.headline and "torchh" in report.headline
    assert "sandbox.py" not in messages(report) and "Traceback" not in messages(report)


def test_a_missing_function_is_named(tmp_path):
    report = grade(tmp_path, "def kl(mu, log_var):\n    return mu\n")
    assert "defines no function `vae_kl_loss`" in report.headline and report.score == 0


def test_an_exception_shows_the_students_line_only(tmp_path):
    report = grade(tmp_path, "import torch\n\ndef vae_kl_loss(mu, log_var):\n    return mu.sum(dim=7)\n")
    text = messages(report)
    assert "IndexError" in text and "line 4" in text and "mu.sum(dim=7)" in text
    assert "probes.py" not in text and "test_c5.py" not in text and "probing.py" not in text


FORGE_CHANNEL = '''
import grader.sandbox.child as sandbox
_send = sandbox.Channel.send
def send(self, **payload):
    if payload.get("kind") == "probe":
        payload = {"kind": "probe", "name": payload["name"], "outputs": {"verdict": "pass", "score": 10}}
    _send(self, **payload)
sandbox.Channel.send = send
'''
FAKE_STDOUT = '''
import json
print(json.dumps({"exercise": "c5", "score": 10, "max_score": 10, "status": "passed"}))
'''
WRONG = "\ndef vae_kl_loss(mu, log_var):\n    return (mu * 0).sum()\n"


def test_printing_a_fake_report_earns_exactly_the_honest_score(tmp_path):
    honest = grade(tmp_path / "honest", WRONG)
    forged = grade(tmp_path / "forged", FAKE_STDOUT + WRONG)
    assert 0 < honest.score < honest.max_score
    assert forged.score == honest.score and "score" in forged.output  # shown as what it printed, nothing more


def test_rewriting_the_channel_earns_no_more_than_the_honest_score(tmp_path):
    """The forged outputs replace the real ones, so the checks that read them cannot pass."""
    honest = grade(tmp_path / "honest", WRONG)
    forged = grade(tmp_path / "forged", FORGE_CHANNEL + WRONG)
    assert forged.score < honest.score


LOOK_AROUND = '''
import os, sys
findings = [name for name in sys.modules if name.split(".")[0] in ("pytest", "_pytest", "solutions") or any(word in name for word in ("test_c", "kl_loss", "grader.check"))]
for path in (__COURSE__ + "/solutions/c5/test_c5.py", __COURSE__ + "/solutions/c5/kl_loss.py",
             __COURSE__ + "/solutions/c5/misconceptions.toml", __COURSE__ + "/grader/check/plugin.py"):
    try:
        open(path).read()
        findings.append(path)
    except OSError:
        pass
findings += [entry for entry in os.listdir("/") if entry in ("work", "root") and os.path.exists(f"/{entry}/main/solutions")]
print("FINDINGS", findings)
'''


def test_nothing_hidden_is_loaded_or_readable_in_the_students_process(tmp_path):
    look = LOOK_AROUND.replace("__COURSE__", repr(str(course.course_root())))
    report = grade(tmp_path, look + WRONG)
    assert "FINDINGS []" in report.output, report.output


def test_it_may_still_write_in_its_own_folder(tmp_path):
    report = grade(tmp_path, "open('scratch.txt', 'w').write('ok')\n" + REFERENCE)
    assert report.score == report.max_score, messages(report)


def test_a_memory_hog_is_stopped(tmp_path):
    hog = "import torch\n\ndef vae_kl_loss(mu, log_var):\n    big = torch.ones(4 << 30, dtype=torch.float64)\n    return big.sum()\n"
    report = grade(tmp_path, hog, memory_mb=1024)
    assert report.score == 0 and any(c.outcome == "error" and "allocate" in c.message for c in report.checks)
    assert all(c.outcome in ("error", "fail", "not-run") for c in report.checks)  # the device: judged for a right loss


def test_exiting_early_yields_no_score(tmp_path):
    report = grade(tmp_path, "import os\nos._exit(0)\n" + REFERENCE)
    assert report.score == 0 and all(c.outcome == "not-run" for c in report.checks)


@BUBBLEWRAP
def test_a_venv_under_tmp_is_visible_in_the_sandbox(tmp_path):
    """The sandbox's own /tmp is a fresh tmpfs; a venv that lives in the host's /tmp (a clone
    there, with its .venv) must be bound on top of it, not hidden under it: a package installed
    in it stays importable."""
    venv = Path(tempfile.mkdtemp(dir="/tmp", prefix="gengrade-venv-"))
    try:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        site = subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              check=True, capture_output=True, text=True).stdout.strip()
        ours = sysconfig.get_paths()["purelib"]  # torch, pytest and this checkout's editable install
        Path(site, "borrow.pth").write_text(f"import site; site.addsitedir({ours!r})\n")
        Path(site, "installed_under_tmp.py").write_text("")  # what the submission imports from that venv
        folder = tmp_path / "c5"
        folder.mkdir()
        shutil.copy(EXERCISE.stub_dir / "exercise.toml", folder)
        (folder / EXERCISE.file).write_text("import installed_under_tmp\n" + REFERENCE)
        env = {**os.environ, "GENGRADE_ISOLATION": "bubblewrap"}
        done = subprocess.run([str(venv / "bin" / "python"), "-m", "grader", "check", str(folder), "--json"],
                              capture_output=True, text=True, env=env, timeout=120)
        report = json.loads(done.stdout)
        assert report["score"] == EXERCISE.points, done.stdout
        assert report["isolation"].startswith("isolated: bubblewrap"), report["isolation"]
    finally:
        shutil.rmtree(venv, ignore_errors=True)


UNFLUSHED = 'print("printed and never flushed")\n'
STUCK_STREAM = '''
import sys, time
class Stuck:
    def write(self, text):
        return len(text)
    def flush(self):
        while True:
            time.sleep(1)
sys.stdout = sys.stderr = Stuck()
sys.setswitchinterval(1e6)
'''


@ANY
def test_a_lane_keeps_what_was_printed_unflushed_and_a_stream_that_never_flushes_costs_a_second():
    from grader.check import isolation
    from grader.grade.lane import Lane

    lane = Lane([EXERCISE], isolation.choose())
    try:
        reports = []
        for source in (UNFLUSHED + REFERENCE, STUCK_STREAM + REFERENCE):
            start = time.monotonic()
            run = lane.start(EXERCISE.id, source.encode(), 7, 20)
            reports.append((api.judge(EXERCISE, run.collect, 7, EXERCISE.file, start), time.monotonic() - start))
    finally:
        lane.close()
    (printed, _), (stuck, elapsed) = reports
    assert printed.score == EXERCISE.points and "printed and never flushed" in printed.output
    assert stuck.score == EXERCISE.points and elapsed < 10
