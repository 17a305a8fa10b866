"""Text from the student's process: valid Unicode wherever it is stored or written (a lone
surrogate must not stop a class's outputs or a results.json), and nothing invisible in reports."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import course
from grader.check.runner import Observations
from grader.check.wire import ObjectValue, decode_frames, read_observations
from grader.cli import main
from grader.grade.api import grade_class
from grader.sandbox.frames import encode_frame

from isolation_marks import ANY

C5 = course.exercise_by_id("c5")
SURROGATE = 'def vae_kl_loss(mu, log_var):\n    print("printed \\udc81")\n    raise ValueError("lone \\udc80")\n'


def strict_utf8(data: bytes) -> str:
    return data.decode("utf-8")  # strict: a lone surrogate written with surrogatepass (ED B2 80) fails here


def strict_json(data: bytes):
    """The document, which must hold no lone surrogate, not even as a JSON escape."""
    value = json.loads(strict_utf8(data))
    json.dumps(value, ensure_ascii=False).encode("utf-8")
    return value


def test_every_string_off_the_wire_is_valid_text():
    class Odd:
        def __repr__(self):
            return "odd \udc80"
    blob = encode_frame({"kind": "probe", "name": "p\udc82", "outputs": {
        "\udc80": "value \ud800", "\udc81": Odd(), "error": ValueError}})
    blob += encode_frame({"kind": "import_error", "error": {
        "type": "ValueError\udc80", "message": "lone \udc80", "frames": [{"line": 1, "function": "f\udc80", "code": "c\udc80"}],
        "raised_by_student": True}})
    obs = Observations()
    read_observations(blob, obs)
    (name, probe), = obs.probes.items()
    assert name == "p\\udc82" and probe["outputs"]["\\udc80"] == "value \\ud800"
    assert probe["outputs"]["\\udc81"] == ObjectValue("Odd", "odd \\udc80")
    assert obs.import_error["message"] == "lone \\udc80" and obs.import_error["frames"][0]["code"] == "c\\udc80"
    json.dumps(decode_frames(blob)[0], default=repr).encode("utf-8")  # strict: no surrogate left


def submit(folder: Path, source: str) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(C5.stub_dir / "exercise.toml", folder)
    (folder / C5.file).write_text(source, encoding="utf-8")
    return folder


@ANY
def test_check_json_stays_valid_json_and_the_text_shows_the_escape(tmp_path):
    folder = submit(tmp_path / "c5", SURROGATE)
    done = subprocess.run([sys.executable, "-m", "grader", "check", str(folder), "--json"], capture_output=True, timeout=120)
    report = strict_json(done.stdout)
    messages = "\n".join(c["message"] for c in report["checks"])
    assert done.returncode == 1 and "ValueError: lone \\udc80" in messages
    assert "printed" in report["output"]
    plain = subprocess.run([sys.executable, "-m", "grader", "check", str(folder)], capture_output=True, timeout=120)
    assert "lone \\udc80" in strict_utf8(plain.stdout)


@ANY
def test_a_class_with_a_lone_surrogate_in_a_message_gets_every_output(tmp_path):
    root = tmp_path / "submissions"
    submit(root / "odd", SURROGATE)
    submit(root / "right", C5.reference_path.read_text())
    out = tmp_path / "out"
    summary = grade_class(root, out, exercise_ids=["c5"], jobs=1)
    assert summary.failures == []
    book = strict_utf8((out / "gradebook.csv").read_bytes())
    assert "odd,0,0" in book and "right,10,10" in book
    for line in strict_utf8((out / "results.jsonl").read_bytes()).splitlines():
        strict_json(line.encode())
    for name in ("odd.md", "odd.html", "right.md"):
        strict_utf8((out / "feedback" / name).read_bytes())
    assert "lone \\udc80" in (out / "feedback" / "odd.md").read_text()
    strict_utf8((out / "report.html").read_bytes())


@ANY
def test_a_gradescope_results_json_stays_valid_utf8(tmp_path):
    archive = tmp_path / "autograder.zip"
    assert CliRunner().invoke(main, ["export", "gradescope", str(archive), "--exercises", "c5"]).exit_code == 0
    root = tmp_path / "autograder"
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(root / "source")
    (root / "submission").mkdir()
    (root / "submission" / C5.file).write_text(SURROGATE, encoding="utf-8")
    env = {**{k: v for k, v in os.environ.items() if k != "GENGRADE_HOME"},
           "GENGRADE_AUTOGRADER_ROOT": str(root), "GENGRADE_PYTHON": sys.executable}
    subprocess.run(["bash", root / "source" / "run_autograder"], cwd=root, env=env, check=True, timeout=300,
                   capture_output=True)
    results = strict_json((root / "results" / "results.json").read_bytes())
    assert any("ValueError: lone \\udc80" in test.get("output", "") for test in results["tests"])
