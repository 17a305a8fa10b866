"""Bad blueprints, rosters and options: exit 2, a message with file and line/row, output untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main

GOOD = """\
title: Quiz
duration: 20
sections:
  - title: A
    topics: [gan]
    types: [nat]
    count: 2
"""
ROSTER = "student_id,name\ns1,Ann\ns2,Bob\n"


@pytest.fixture()
def out(tmp_path: Path) -> Path:
    """An output folder that already holds an earlier exam."""
    folder = tmp_path / "out"
    (folder / "papers").mkdir(parents=True)
    (folder / "manifest.json").write_text("earlier manifest\n")
    (folder / "papers" / "old.md").write_text("earlier paper\n")
    return folder


def run(tmp_path: Path, out: Path, blueprint: str = GOOD, roster: str = ROSTER, *extra: str):
    (tmp_path / "bp.yaml").write_text(blueprint, encoding="utf-8")
    (tmp_path / "roster.csv").write_text(roster, encoding="utf-8")
    return CliRunner().invoke(main, ["exam", str(tmp_path / "bp.yaml"), "--roster", str(tmp_path / "roster.csv"),
                                     "--seed", "1", "--out", str(out), *extra])


def untouched(out: Path) -> bool:
    files = {str(p.relative_to(out)): p.read_text() for p in out.rglob("*") if p.is_file()}
    staging = [p for p in out.parent.iterdir() if ".staging-" in p.name]
    return files == {"manifest.json": "earlier manifest\n", "papers/old.md": "earlier paper\n"} and not staging


@pytest.mark.parametrize("blueprint, needle", [
    (GOOD.replace("count: 2", "count: [2"), "bp.yaml:8: malformed YAML"),
    (GOOD.replace("    count: 2", "    cout: 2"), "bp.yaml:7: unknown key 'cout' in sections[0]"),
    (GOOD.replace("duration: 20\n", ""), "bp.yaml:1: the blueprint is missing `duration`"),
    (GOOD.replace("count: 2", "count: 0"), "bp.yaml:7: sections[0].count must be a positive integer"),
    (GOOD.replace("types: [nat]", "types: [essay]"), "bp.yaml:6: sections[0].types: 'essay' is not one of"),
    (GOOD.replace("[gan]", "[quantum]"), "bp.yaml:4: section 'A': unknown topic 'quantum'"),
    (GOOD.replace("topics: [gan]", "problems: [no-such-problem]"), "bp.yaml:4: section 'A': unknown problem id 'no-such"),
    (GOOD.replace("count: 2", "count: 500"), "bp.yaml:4: section 'A' asks for 500 problems but only"),
    (GOOD.replace("    types: [nat]\n", "    problems: [gate-q1]\n"), "bp.yaml:4: sections[0] needs exactly one of"),
    ("- just a list\n", "bp.yaml:1: expected a mapping"),
])
def test_bad_blueprint(tmp_path: Path, out: Path, blueprint: str, needle: str) -> None:
    result = run(tmp_path, out, blueprint)
    assert result.exit_code == 2, result.output
    assert needle in result.output
    assert untouched(out)


@pytest.mark.parametrize("roster, needle", [
    ("student,name\ns1,Ann\n", "roster.csv: row 1: missing column 'student_id'"),
    ("student_id,full name\ns1,Ann\n", "roster.csv: row 1: missing column 'name'"),
    ("student_id,name\ns1,Ann\ns2,Bob\ns1,Cy\n", "roster.csv: row 4: duplicate student_id 's1' (first on row 2)"),
    ("student_id,name\ns1,Ann\n,Bob\n", "roster.csv: row 3: blank student_id"),
    ("student_id,name\n../x,Ann\n", "roster.csv: row 2: student_id '../x' may only use"),
    ("student_id,name\nab1,Ann\nAB1,Bob\n", "roster.csv: row 3: student_id 'AB1' differs only in case"),
    ("student_id,name\n", "roster.csv: no students"),
    ("student_id,name\ns1,Ann,extra\n", "roster.csv: row 2: 3 cells but the header has 2 columns"),
])
def test_bad_roster(tmp_path: Path, out: Path, roster: str, needle: str) -> None:
    result = run(tmp_path, out, roster=roster)
    assert result.exit_code == 2, result.output
    assert needle in result.output
    assert untouched(out)


def test_unknown_format(tmp_path: Path, out: Path) -> None:
    result = run(tmp_path, out, GOOD, ROSTER, "--format", "md,docx")
    assert result.exit_code == 2 and "unknown format 'docx'" in result.output
    assert untouched(out)


def test_pdf_without_a_renderer_says_what_to_install(tmp_path: Path, out: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("GENGRADE_CHROMIUM", raising=False)
    result = run(tmp_path, out, GOOD, ROSTER, "--format", "html,pdf")
    assert result.exit_code == 2 and "apt-get install chromium" in result.output
    assert untouched(out)


def test_earlier_output_is_replaced_only_with_force(tmp_path: Path, out: Path) -> None:
    refused = run(tmp_path, out, GOOD, ROSTER, "--format", "md")
    assert refused.exit_code == 2 and "already holds manifest.json" in refused.output and "--force" in refused.output
    assert untouched(out)


def test_a_forced_run_replaces_its_own_files_and_keeps_others(tmp_path: Path, out: Path) -> None:
    result = run(tmp_path, out, GOOD, ROSTER, "--format", "md", "--force")
    assert result.exit_code == 0, result.output
    assert (out / "papers" / "old.md").read_text() == "earlier paper\n"
    assert (out / "manifest.json").read_text().startswith("{")
    assert sorted(p.name for p in (out / "keys").iterdir()) == ["s1.md", "s2.md"]


def test_a_failure_half_way_leaves_the_output_as_it_was(tmp_path: Path, out: Path, monkeypatch) -> None:
    import grader.exam.printing
    from grader.errors import GraderError

    real, calls = grader.exam.printing.render_paper, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) > 3:  # the second student's paper
            raise GraderError("renderer broke")
        return real(*args, **kwargs)

    monkeypatch.setattr(grader.exam.printing, "render_paper", flaky)
    result = run(tmp_path, out, GOOD, ROSTER, "--format", "md,html", "--jobs", "1", "--force")
    assert result.exit_code == 1 and "renderer broke" in result.output
    assert untouched(out)
