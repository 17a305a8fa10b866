"""`gengrade sheet`: a practice sheet, its key with worked solutions, reproducible by seed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from renderer_marks import ANY_PDF


def run(out: Path, *args: str):
    return CliRunner().invoke(main, ["sheet", *args, "--out", str(out)])


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_sheet_key_and_manifest(tmp_path: Path) -> None:
    result = run(tmp_path / "a", "--topic", "gan", "--topic", "wgan", "--count", "5", "--seed", "11",
                 "--format", "md,html,tex")
    assert result.exit_code == 0, result.output
    assert "seed 11" in result.output
    assert sorted(files(tmp_path / "a")) == ["manifest.json", "sheet.html", "sheet.md", "sheet.tex",
                                             "solutions.html", "solutions.md", "solutions.tex"]
    questions = json.loads((tmp_path / "a" / "manifest.json").read_text())["papers"][0]["questions"]
    assert len(questions) == 5 and {q["topic"] for q in questions} <= {"gan", "wgan"}
    key = (tmp_path / "a" / "solutions.md").read_text()
    assert key.count("**Answer:**") == 5 and key.count("**Solution.**") == 5
    assert "**Answer:**" not in (tmp_path / "a" / "sheet.md").read_text()
    assert run(tmp_path / "b", "--topic", "gan", "--topic", "wgan", "--count", "5", "--seed", "11",
               "--format", "md,html,tex").exit_code == 0
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert run(tmp_path / "c", "--topic", "gan", "--topic", "wgan", "--count", "5", "--seed", "12",
               "--format", "md").exit_code == 0
    assert (tmp_path / "c" / "sheet.md").read_bytes() != (tmp_path / "a" / "sheet.md").read_bytes()


@pytest.mark.parametrize("args, needle", [
    (["--topic", "astrology"], "--topic: unknown topic 'astrology'"),
    (["--topic", "gan", "--count", "999"], "--count 999: only"),
    (["--format", "md,rtf"], "unknown format 'rtf'"),
])
def test_sheet_usage_errors(tmp_path: Path, args: list[str], needle: str) -> None:
    result = run(tmp_path / "out", *args)
    assert result.exit_code == 2 and needle in result.output
    assert not (tmp_path / "out").exists()


@ANY_PDF
def test_sheet_as_pdf(tmp_path: Path) -> None:
    result = run(tmp_path / "pdf", "--topic", "gan", "--count", "2", "--seed", "4", "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert sorted(files(tmp_path / "pdf")) == ["manifest.json", "sheet.pdf", "solutions.pdf"]
    assert (tmp_path / "pdf" / "sheet.pdf").read_bytes().startswith(b"%PDF")


def test_an_earlier_sheet_is_replaced_only_with_force(tmp_path: Path) -> None:
    args = ("--topic", "gan", "--count", "2", "--format", "md")
    assert run(tmp_path / "s", *args, "--seed", "1").exit_code == 0
    earlier = files(tmp_path / "s")
    refused = run(tmp_path / "s", *args, "--seed", "2")
    assert refused.exit_code == 2 and "already holds manifest.json, sheet.md, solutions.md" in refused.output
    assert files(tmp_path / "s") == earlier
    assert run(tmp_path / "s", *args, "--seed", "2", "--force").exit_code == 0
    assert files(tmp_path / "s") != earlier
