"""Every output format alone and in combination, for `sheet` and `exam`, with each PDF renderer.

PDF is printed from HTML by Chromium or compiled from LaTeX by a TeX engine, and needs a
source the user may not have asked for; these tests ask for each format on its own, so a
step that only works when another format happens to create its folder shows up here.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.exam import pdf
from renderer_marks import CHROMIUM, TEX

BLUEPRINT = """\
title: Quiz
duration: 20
sections:
  - title: A
    topics: [gan]
    types: [nat, mcq]
    count: 2
"""
ROSTER = "student_id,name\ns1,Ann\ns2,Bob\n"
# A PDF's producer names what made it: Chromium's Skia, or pdfTeX / LuaTeX / XeTeX.
PRODUCERS = {"chromium": (b"Skia/PDF",), "tex": (b"pdfTeX", b"LuaTeX", b"XeTeX", b"xdvipdfmx")}
RENDERERS = [pytest.param("chromium", marks=CHROMIUM), pytest.param("tex", marks=TEX)]


@pytest.fixture()
def renderer(request, monkeypatch) -> str | None:
    """Force the PDF renderer named by the test's parameter: hide Chromium to get TeX."""
    name = getattr(request, "param", None)
    if name == "tex":
        monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    return name


def sheet(out: Path, formats: str):
    return CliRunner().invoke(main, ["sheet", "--topic", "gan", "--count", "2", "--seed", "4", "--format", formats,
                                     "--out", str(out)])


def exam(tmp_path: Path, out: Path, formats: str):
    (tmp_path / "bp.yaml").write_text(BLUEPRINT, encoding="utf-8")
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    return CliRunner().invoke(main, ["exam", str(tmp_path / "bp.yaml"), "--roster", str(tmp_path / "roster.csv"),
                                     "--seed", "3", "--format", formats, "--out", str(out)])


def listing(folder: Path) -> list[str]:
    """Every file and folder under `folder`, hidden ones included (a left-over source would show)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def expected(command: str, formats: str) -> list[str]:
    stems = ["sheet", "solutions"] if command == "sheet" else [f"{k}/{s}" for k in ("papers", "keys")
                                                              for s in ("s1", "s2")]
    return sorted(["manifest.json"] + [f"{stem}.{ext}" for stem in stems for ext in formats.split(",")])


def produce(command: str, tmp_path: Path, formats: str) -> Path:
    out = tmp_path / "out"
    result = sheet(out, formats) if command == "sheet" else exam(tmp_path, out, formats)
    assert result.exit_code == 0, result.output
    assert listing(out) == expected(command, formats)
    assert not [p for p in tmp_path.iterdir() if ".staging-" in p.name]
    return out


def assert_pdfs(out: Path, renderer: str) -> None:
    pdfs = sorted(out.rglob("*.pdf"))
    assert pdfs
    for path in pdfs:
        data = path.read_bytes()
        assert data.startswith(b"%PDF-") and b"%%EOF" in data[-64:], path
        assert any(name in data for name in PRODUCERS[renderer]), f"{path} was not made by {renderer}"


@pytest.mark.parametrize("command", ["sheet", "exam"])
@pytest.mark.parametrize("fmt", ["md", "html", "tex"])
def test_each_text_format_alone(tmp_path: Path, command: str, fmt: str) -> None:
    out = produce(command, tmp_path, fmt)
    assert all(path.stat().st_size > 0 for path in out.rglob(f"*.{fmt}"))


@pytest.mark.parametrize("renderer", RENDERERS, indirect=True)
@pytest.mark.parametrize("command", ["sheet", "exam"])
def test_pdf_alone(tmp_path: Path, command: str, renderer: str) -> None:
    assert_pdfs(produce(command, tmp_path, "pdf"), renderer)


@pytest.mark.parametrize("renderer", RENDERERS, indirect=True)
@pytest.mark.parametrize("formats", ["md,pdf", "html,pdf", "tex,pdf", "md,html,tex,pdf"])
def test_pdf_with_other_formats(tmp_path: Path, formats: str, renderer: str) -> None:
    """The PDF's source is kept only when it was asked for, whichever renderer made the PDF."""
    out = produce("exam", tmp_path, formats)
    assert_pdfs(out, renderer)
    if "html" in formats:
        assert "<math" in (out / "papers" / "s1.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("formats", ["md,html", "md,tex", "html,tex", "md,html,tex"])
def test_text_formats_together(tmp_path: Path, formats: str) -> None:
    produce("sheet", tmp_path, formats)
    shutil.rmtree(tmp_path / "out")
    produce("exam", tmp_path, formats)


def fake_program(folder: Path, name: str, stdout: str, stderr: str) -> Path:
    """An executable that prints like a failing renderer and exits 1."""
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.out").write_text(stdout)
    (folder / f"{name}.err").write_text(stderr)
    path = folder / name
    path.write_text(f"#!/bin/sh\ncat '{path}.out'\ncat '{path}.err' >&2\nexit 1\n")
    path.chmod(0o755)
    return path


def test_a_chromium_that_fails_is_named_with_its_own_error(tmp_path: Path, monkeypatch) -> None:
    noise = "[9:9:ERROR:dbus/object_proxy.cc:572] Failed to call method: org.freedesktop.DBus.NameHasOwner\n"
    fake = fake_program(tmp_path / "bin", "chromium", "", noise + "chromium: libnss3.so: cannot open shared object file\n")
    monkeypatch.setenv("GENGRADE_CHROMIUM", str(fake))
    out = tmp_path / "out"
    result = sheet(out, "md,pdf")
    assert result.exit_code == 1
    assert f"Chromium ({fake}) did not start: chromium: libnss3.so: cannot open shared object file" in result.output
    assert "dbus" not in result.output.lower()
    assert not out.exists() and not [p for p in tmp_path.iterdir() if ".staging-" in p.name]


def test_a_tex_engine_that_fails_is_named_with_its_own_error(tmp_path: Path, monkeypatch) -> None:
    log = "This is pdfTeX\n(./sheet.tex\n! Undefined control sequence.\n<recently read> \\foo \n\nl.12 \\foo\n"
    fake_program(tmp_path / "bin", "pdflatex", log, "")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:{os.environ['PATH']}")  # ours first
    monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    result = sheet(tmp_path / "out", "pdf")
    assert result.exit_code == 1
    assert "pdflatex could not compile sheet.tex: Undefined control sequence. l.12 \\foo" in result.output


def test_writing_the_pdf_is_our_step_and_says_so(tmp_path: Path) -> None:
    from grader.errors import GraderError
    from grader.exam.chromium import write_pdf

    with pytest.raises(GraderError, match="could not write .* \\(the PDF itself was made\\)"):
        write_pdf(tmp_path, b"%PDF-1.4")
