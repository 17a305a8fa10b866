"""Every `$ gengrade ...` line in the README's problem-bank and instructor sections runs as shown
and does what its comment says. A new example without a claim here fails the test.

The lines run in order in one temporary folder holding a copy of examples/, against the real
bank. Two stand-ins: `responses.csv` (the instructor's answer sheets) is written from the
exam's manifest before `mark`, and `pdf` is dropped from `--format` (PDF output is
tests/test_render.py's; printing 60 PDFs would take minutes here).
"""

from __future__ import annotations

import csv
import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.bank import load as bank_module
from grader import course
from grader.cli import main

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("## For students: coding exercises", "## For students: problems and self-study",
            "## For instructors: sheets, exams, marking", "## For instructors: handing out a release",
            "## For instructors: grading a class", "## For instructors: Gradescope")


def readme_commands() -> list[str]:
    """The `$ ` lines of the console blocks in SECTIONS, continuation lines joined, comments kept."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = []
    for title in SECTIONS:
        section = text[text.index(title):].split("\n## ", 1)[0]
        for block in re.findall(r"```console\n(.*?)```", section, re.S):
            for line in block.replace("\\\n", " ").splitlines():
                if line.startswith("$ "):
                    commands.append(re.sub(r"\s+", " ", line[2:]).strip())
    return commands


def right(output: str) -> bool:
    return "Right." in output and "Worked solution" in output


def files(*names: str):
    return lambda output, cwd: all((cwd / name).exists() for name in names)


def gradebook_rows(cwd: Path) -> list[dict]:
    with (cwd / "exam" / "marking" / "gradebook.csv").open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


# The comment of each README line, and what shows it holds: (exit code, stdin, check(output, cwd)).
CLAIMS = {
    "list": (0, None, lambda out, cwd: "Reparameterization trick" in out and "not started" in out),
    "check exercises/c2": (1, None, lambda out, cwd: "not started yet" in out and "isolated" in out),
    "check exercises/c2 --json": (1, None, lambda out, cwd: json.loads(out)["status"] == "not-started"),
    "show --list vae": (0, None, lambda out, cwd: out.startswith("vae (") and re.search(r"vae-kl-diag +nat +2 ", out)),
    "show gate-q1": (0, None, lambda out, cwd: "(C) " in out and "gengrade answer gate-q1 VALUE" in out),
    "answer gate-q1 C": (0, None, lambda out, cwd: right(out)),
    "answer we2 2.754": (0, None, lambda out, cwd: right(out)),
    'answer we1 "1 - 1/(2*x+1)"': (0, None, lambda out, cwd: right(out) and "equivalent to the key" in out),
    "show vae-kl-diag --seed 3": (0, None, lambda out, cwd: "seed 3)" in out and "--seed 3" in out),
    "answer vae-kl-diag 1.37 --seed 3": (0, None, lambda out, cwd: right(out)),
    "practice vae diffusion --count 5": (0, "skip\n" * 5, lambda out, cwd: out.count("[") >= 5 and out.count(
        "Worked solution") == 5 and "Done. Score: 0/" in out),
    "printf 'D\\n2.75\\n' | gengrade practice vae --count 2 --seed 1058": (0, None, lambda out, cwd: out.count(
        "Right.") == 2 and "Done. Score: 3/3 marks" in out),
    "sheet --topic vae --topic diffusion --count 8 --seed 5 --format md,html --out sheet/": (0, None, files(
        "sheet/sheet.md", "sheet/solutions.html", "sheet/manifest.json")),
    "exam examples/demo_blueprint.yaml --roster examples/demo_roster.csv --seed 2025 --format md,html,tex,pdf "
    "--out exam/": (0, None, lambda out, cwd: len(list((cwd / "exam" / "papers").glob("*.md"))) == 30
                    and files("exam/manifest.json", "exam/keys/GM2025-001.tex")(out, cwd)),
    "mark exam/manifest.json responses.csv --out exam/marking/": (0, None, lambda out, cwd: len(
        gradebook_rows(cwd)) == 30 and "Marked 29 of 30 students" in out),
    "mark exam/manifest.json responses.csv --out exam/marking/ --force": (0, None, lambda out, cwd: len(
        gradebook_rows(cwd)) == 30),
    "export moodle examples/demo_blueprint.yaml --out quiz.xml": (0, None, lambda out, cwd: 'type="multichoiceset"'
                                                                   in (cwd / "quiz.xml").read_text()),
    "export moodle examples/demo_blueprint.yaml --msq-partial --out quiz-core.xml": (0, None, lambda out, cwd:
        "multichoiceset" not in (cwd / "quiz-core.xml").read_text()),
    "release handout/": (0, None, files("handout/release.json", "handout/exercises/c1/reparameterize.py")),
    "release handout/ --force": (0, None, files("handout/release.json")),
    "grade submissions/ --out graded/": (0, None, lambda out, cwd: "2 students: 3 files graded" in out
                                         and files("graded/gradebook.csv", "graded/report.html")(out, cwd)),
    "grade submissions/ --out graded/ --exercises c1,c5 --jobs 2": (0, None, lambda out, cwd:
        "0 files graded, 3 unchanged" in out),
    "grade submissions/ --out graded/ --regrade s2": (0, None, lambda out, cwd:
        "1 files graded (1 regraded: 1 forced), 2 unchanged" in out),
    "grade submissions/ --out graded/ --regrade": (0, None, lambda out, cwd:
        "3 files graded (3 regraded: 3 forced), 0 unchanged" in out),
    "export gradescope autograder.zip": (0, None, files("autograder.zip")),
    "export gradescope hw1.zip --exercises c1,c3": (0, None, files("hw1.zip")),
}


def split(line: str) -> tuple[str, list[str], str | None]:
    """(claim key, gengrade arguments, stdin) of one README line."""
    command = line.split(" # ")[0].strip()
    key = command[len("gengrade "):] if command.startswith("gengrade ") else command
    stdin = None
    if " | " in command:
        feed, command = command.split(" | ", 1)
        stdin = shlex.split(feed)[1].encode().decode("unicode_escape")  # printf 'A\n2.75\n'
    args = shlex.split(command)
    assert args[0] == "gengrade", line
    return key, [a for a in args[1:]], stdin


def without_pdf(args: list[str]) -> list[str]:
    return [",".join(f for f in a.split(",") if f != "pdf") if previous == "--format" else a
            for previous, a in zip([""] + args, args)]


def write_responses(cwd: Path) -> None:
    """Answer sheets for the demo exam: the key for even rows, a wrong letter or number for odd ones,
    blanks now and then, and the last student absent."""
    papers = json.loads((cwd / "exam" / "manifest.json").read_text())["papers"]
    width = len(papers[0]["questions"])
    rows = [["student_id", *(f"Q{n}" for n in range(1, width + 1))]]
    for index, paper in enumerate(papers[:-1]):
        cells = []
        for q in paper["questions"]:
            if q["type"] == "nat":
                cells.append(str(q["answer"] if index % 2 == 0 else q["answer"] + 1))
            else:
                cells.append(q["answer"] if index % 2 == 0 else "A" if q["answer"] != "A" else "B")
        cells[index % width] = ""
        rows.append([paper["student_id"], *cells])
    with (cwd / "responses.csv").open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(rows)


def write_submissions(cwd: Path) -> None:
    """Two students: one with c1 and c5 right, one with the c5 stub."""
    for student, exercises in (("s1", {"c1": "reference", "c5": "reference"}), ("s2", {"c5": "stub"})):
        for exercise_id, which in exercises.items():
            exercise = course.exercise_by_id(exercise_id)
            source = exercise.reference_path if which == "reference" else exercise.stub_dir / exercise.file
            (cwd / "submissions" / student).mkdir(parents=True, exist_ok=True)
            shutil.copy(source, cwd / "submissions" / student / exercise.file)


def test_every_readme_example_has_a_claim_checked_here():
    keys = [split(line)[0] for line in readme_commands()]
    assert keys == list(CLAIMS), "README examples and tests/test_readme.py CLAIMS differ"


def test_readme_examples_run_as_shown(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    shutil.copytree(ROOT / "exercises", tmp_path / "exercises")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(bank_module, "default_root", lambda: ROOT / "problem_bank")
    for line in readme_commands():
        key, args, stdin = split(line)
        if key not in CLAIMS:
            pytest.fail(f"no claim for README line {line!r}")
        code, feed, holds = CLAIMS[key]
        if args[0] == "mark" and not (tmp_path / "responses.csv").exists():
            write_responses(tmp_path)
        if args[0] == "grade" and not (tmp_path / "submissions").exists():
            write_submissions(tmp_path)
        result = CliRunner().invoke(main, without_pdf(args), input=stdin if stdin is not None else feed)
        assert result.exit_code == code, f"{line}\n{result.output}"
        assert holds(result.output, tmp_path), f"{line}\n{result.output}"
