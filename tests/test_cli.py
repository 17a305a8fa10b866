"""The command line as a student meets it: exit codes, JSON, list, usage errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from click.testing import CliRunner

from grader import course
from grader.cli import main

C5 = course.exercise_by_id("c5")


def student_copy(tmp_path, source_file):
    folder = tmp_path / "my-c5"
    folder.mkdir()
    shutil.copy(C5.stub_dir / "exercise.toml", folder)
    shutil.copy(source_file, folder / C5.file)
    return folder


def test_a_correct_copy_anywhere_exits_0_with_full_score(tmp_path):
    folder = student_copy(tmp_path, C5.reference_path)
    result = CliRunner().invoke(main, ["check", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Score: 10/10" in result.output and "all checks pass" in result.output


def test_the_stub_exits_1_and_reads_not_started():
    result = CliRunner().invoke(main, ["check", str(C5.stub_dir)])
    assert result.exit_code == 1
    assert "not started yet" in result.output and "Traceback" not in result.output


def test_json_report_follows_the_contract(tmp_path):
    folder = student_copy(tmp_path, C5.reference_path)
    result = CliRunner().invoke(main, ["check", str(folder / C5.file), "--json"])  # a file path works too
    report = json.loads(result.output)
    assert report["exercise"] == "c5" and report["score"] == report["max_score"] == 10
    assert {"name", "outcome", "points", "max_points", "message", "public"} <= set(report["checks"][0])
    assert sum(c["max_points"] for c in report["checks"]) == 10


def test_usage_errors_exit_2_and_name_the_problem(tmp_path):
    missing = CliRunner().invoke(main, ["check", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "no such folder" in missing.output
    not_exercise = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert not_exercise.exit_code == 2 and "exercise.toml" in not_exercise.output
    (tmp_path / "exercise.toml").write_text('id = "c99"\ntitle = "x"\nfile = "x.py"\nfunction = "f"\npoints = 1\n')
    unknown = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert unknown.exit_code == 2 and "unknown exercise id 'c99'" in unknown.output
    (tmp_path / "exercise.toml").write_text("id = \n")
    broken = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert broken.exit_code == 2 and "exercise.toml" in broken.output and "TOML" in broken.output


def test_list_shows_every_exercise_and_local_status(tmp_path):
    result = CliRunner().invoke(main, ["list", "--json"])
    rows = {row["id"]: row for row in json.loads(result.output)["exercises"]}
    assert {"c1", "c2", "c3", "c4", "c5", "c6"} <= set(rows)
    assert all(row["status"] == "not started" for row in rows.values())
    assert sum(json.loads(result.output)["topics"].values()) >= 40 + 10
    text = CliRunner().invoke(main, ["list"]).output
    assert "Reparameterization trick" in text and "not started" in text and "diffusion (" in text


def test_console_script_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "grader", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "gengrade" in result.stdout


def test_a_check_is_remembered_until_the_file_changes_and_the_checkout_stays_clean(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    folder = student_copy(tmp_path, C5.reference_path)
    monkeypatch.chdir(folder)
    assert CliRunner().invoke(main, ["check"]).exit_code == 0  # no FOLDER: this folder
    rows = {row["id"]: row for row in json.loads(CliRunner().invoke(main, ["list", "--json"]).output)["exercises"]}
    assert rows["c5"]["status"] == f"checked 10/10 ({folder.resolve()})" and rows["c1"]["status"] == "not started"
    (folder / C5.file).write_text((folder / C5.file).read_text() + "\n# edited\n")
    rows = {row["id"]: row for row in json.loads(CliRunner().invoke(main, ["list", "--json"]).output)["exercises"]}
    assert rows["c5"]["status"] == f"in progress ({folder.resolve()})"
    assert not list(folder.glob(".gengrade*")) and (tmp_path / "state" / "gengrade" / "progress.json").is_file()


def test_check_without_a_folder_outside_an_exercise_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2 and "exercise.toml" in result.output


def test_a_checked_stub_is_listed_as_not_started(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    folder = student_copy(tmp_path, C5.stub_dir / C5.file)
    assert CliRunner().invoke(main, ["check", str(folder)]).exit_code == 1
    rows = {row["id"]: row for row in json.loads(CliRunner().invoke(main, ["list", "--json"]).output)["exercises"]}
    assert rows["c5"]["status"] == f"not started ({folder.resolve()})"
