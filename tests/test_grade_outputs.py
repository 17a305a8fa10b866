"""Class grading's outputs, tested by their numbers: a small class of made-up reports whose right
numbers (mean, median, pass rates, full marks, mistake counts, totals) are worked out here by
hand, independently of grader/grade/outputs.py; and CSV cells that no spreadsheet runs."""

from __future__ import annotations

import csv
import io
import json
import re
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import pytest

from grader.course import Exercise
from grader.exam import gradebook as exam_gradebook
from grader.exam.manifest import Item
from grader.exam.marking import Mark, Result
from grader.grade import outputs
from grader.spreadsheet import cell, csv_text

E1 = Exercise("e1", "First", "first.py", "first", 10, 60.0, "t")
E2 = Exercise("e2", "Second", "second.py", "second", 6, 60.0, "t")
CHECKS = {"e1": (("shape", 2), ("value", 5), ("grad", 3)), "e2": (("a", 4), ("b", 2))}

# student -> exercise -> {check: None (passed) | "fail" | a misconception's id (failed, named)}
CLASS = {
    "ann": {"e1": {}, "e2": {}},
    "bob": {"e1": {"value": "m-half", "grad": "m-half"}, "e2": {"b": "m-sign"}},
    "cy": {"e1": {"value": "m-half"}},
    "dee": {"e2": {"a": "m-sign", "b": "fail"}},
    "eve": {},
    "Fay": {"e1": {}},
    "fay": {},
}
PROBLEMS = {("eve", "*"): "eve.zip cannot be read: File is not a zip file",
            ("fay", "e1"): "2 files are named first.py (a/first.py, b/first.py): keep one"}
# worked out by hand from CLASS and the points in CHECKS
TOTALS = {"ann": 16, "bob": 6, "cy": 5, "dee": 0, "eve": 0, "Fay": 10, "fay": 0}
SCORES = {("ann", "e1"): 10, ("ann", "e2"): 6, ("bob", "e1"): 2, ("bob", "e2"): 4, ("cy", "e1"): 5,
          ("dee", "e2"): 0, ("Fay", "e1"): 10}


def report(student: str, exercise: str, failed: dict[str, str]) -> dict:
    checks = [{"name": name, "title": f"{name} check", "outcome": "fail" if name in failed else "pass",
               "points": 0 if name in failed else points, "max_points": points, "public": name == "shape",
               "message": f"{name} is wrong" if name in failed else "",
               "misconception": None if failed.get(name, "fail") == "fail" else failed[name]}
              for name, points in CHECKS[exercise]]
    score = sum(c["points"] for c in checks)
    return {"exercise": exercise, "title": {"e1": E1.title, "e2": E2.title}[exercise],
            "submission": f"{student}/{exercise}.py", "checks": checks, "headline": "", "seed": 1, "elapsed_s": 0.1,
            "isolation": "test", "output": "", "score": score, "max_score": sum(p for _, p in CHECKS[exercise]),
            "status": "passed" if not failed else "failed"}


def reports(students=CLASS) -> dict[tuple[str, str], dict]:
    return {(s, e): report(s, e, failed) for s, per in students.items() for e, failed in per.items()}


@pytest.fixture
def written(tmp_path) -> Path:
    out = tmp_path / "out"
    outputs.write_outputs(out, list(CLASS), [E1, E2], reports(), PROBLEMS, {"cy": "the entry's name is odd",
                                                                           "eve": "named oddly too"})
    return out


class Tables(HTMLParser):
    """The text of every table cell of a page, table by table, row by row."""

    def __init__(self, page: str):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def meta(page: str, label: str) -> str:
    return re.search(rf"<strong>{label}:</strong> ([^<]*)</span>", page).group(1)


def test_the_class_report_holds_the_numbers_worked_out_by_hand(written):
    page = (written / "report.html").read_text()
    totals = sorted(TOTALS.values())  # 0 0 0 5 6 10 16
    assert meta(page, "Students") == "7" and meta(page, "Graded files") == str(len(SCORES))
    assert meta(page, "Could not be graded") == "2"
    assert meta(page, "Mean total") == f"{float(Fraction(sum(totals), len(totals))):.2f} / 16" == "5.29 / 16"
    assert meta(page, "Median") == str(totals[len(totals) // 2]) == "5"
    exercises, checks, mistakes, problems = Tables(page).tables
    assert exercises[1:] == [["e1 First", "4", "2", "6.75 / 10"], ["e2 Second", "3", "1", "3.33 / 6"]]
    assert checks[1:] == [["e1", "shape check", "2", "100%", ""],
                          ["e1", "value check", "5", "50%", "m-half: 2"],
                          ["e1", "grad check", "3", "75%", "m-half: 1"],
                          ["e2", "a check", "4", "67%", "m-sign: 1"],
                          ["e2", "b check", "2", "33%", "m-sign: 1"]]
    assert sorted(mistakes[1:]) == [["e1", "m-half", "2"], ["e2", "m-sign", "2"]]
    assert problems[1:] == [["eve", "*", PROBLEMS[("eve", "*")]], ["fay", "e1", PROBLEMS[("fay", "e1")]]]
    bars = dict(re.findall(r"<title>(-?\d+) to -?\d+: (\d+)</title>", page))
    assert {k: int(v) for k, v in bars.items() if v != "0"} == {"0": 3, "5": 1, "6": 1, "10": 1, "16": 1}


def test_an_even_class_has_the_middle_two_averaged_as_its_median(tmp_path):
    six = {s: per for s, per in CLASS.items() if s != "fay"}  # totals 0 0 5 6 10 16
    outputs.write_outputs(tmp_path, list(six), [E1, E2], reports(six), {})
    page = (tmp_path / "report.html").read_text()
    assert meta(page, "Median") == "5.5" and meta(page, "Mean total") == "6.17 / 16"


def test_the_gradebook_holds_every_score_and_total(written):
    rows = list(csv.reader(io.StringIO((written / "gradebook.csv").read_bytes().decode())))
    assert rows[0] == ["student_id", "e1", "e2", "total", "notes"]
    assert rows[1] == ["(points possible)", "10", "6", "16", ""]
    book = {row[0]: row[1:] for row in rows[2:]}
    assert list(book) == list(CLASS)
    for student, total in TOTALS.items():
        scores = [str(SCORES[(student, e)]) if (student, e) in SCORES else "" for e in ("e1", "e2")]
        assert book[student][:3] == [*scores, str(total)], student
    assert book["eve"][3] == f"submission: {PROBLEMS[('eve', '*')]}; note: named oddly too"
    assert book["fay"][3] == f"e1: {PROBLEMS[('fay', 'e1')]}"
    assert book["cy"][3] == "note: the entry's name is odd" and book["ann"][3] == ""


def test_feedback_gives_each_student_their_total_and_reasons(written):
    names = sorted(p.name for p in (written / "feedback").iterdir())
    assert len(names) == 2 * len(CLASS) and len({n.lower() for n in names}) == len(names)  # Fay and fay apart
    for student, total in TOTALS.items():
        (md,) = [p for p in (written / "feedback").glob("*.md") if p.read_text().startswith(f"# Feedback for {student}\n")]
        text = md.read_text()
        assert f"\nTotal: {total}\n" in text
        assert f"<strong>Total:</strong> {total} / 16" in md.with_suffix(".html").read_text()
        for (s, e), why in PROBLEMS.items():
            shown = f"- {'submission' if e == '*' else e}: not graded: {why}"
            assert (shown in text) == (s == student)
    bob = (written / "feedback" / "bob.md").read_text()
    assert "## e1 First: 2/10" in bob and "## e2 Second: 4/6" in bob and "value is wrong" in bob
    assert "## e" not in (written / "feedback" / "eve.md").read_text()


def test_results_hold_one_line_per_graded_file(written):
    lines = [json.loads(line) for line in (written / "results.jsonl").read_text().splitlines()]
    assert {(r["student"], r["exercise"]): r["score"] for r in lines} == SCORES


def test_file_names_are_safe_and_distinct_whatever_the_case():
    names = outputs.file_names(["Fay", "fay", "FAY", "a/b", "..", "x y", "fay-2", "Xena.", ".Xu"])
    assert names == {"Fay": "Fay", "fay": "fay-2", "FAY": "FAY-3", "a/b": "a_b", "..": "student", "x y": "x_y",
                     "fay-2": "fay-2-2", "Xena.": "Xena", ".Xu": "Xu"}


def test_a_rerun_replaces_the_outputs_and_drops_feedback_of_students_gone(written):
    fewer = {s: per for s, per in CLASS.items() if s in ("ann", "bob")}
    outputs.write_outputs(written, list(fewer), [E1, E2], reports(fewer), {})
    assert sorted(p.name for p in (written / "feedback").iterdir()) == ["ann.html", "ann.md", "bob.html", "bob.md"]
    assert [row[0] for row in csv.reader(io.StringIO((written / "gradebook.csv").read_bytes().decode()))][2:] == \
        ["ann", "bob"]


def test_a_class_with_nothing_graded_shows_dashes(tmp_path):
    outputs.write_outputs(tmp_path, [], [E1, E2], {}, {})
    page = (tmp_path / "report.html").read_text()
    assert meta(page, "Mean total") == "- / 16" and meta(page, "Median") == "-"
    assert Tables(page).tables[0][1:] == [["e1 First", "0", "0", "- / 10"], ["e2 Second", "0", "0", "- / 6"]]
    assert "<title>Class report: e1, e2</title>" in page


def test_feedback_markdown_is_laid_out_for_reading(written):
    text = (written / "feedback" / "bob.md").read_text(encoding="utf-8")
    assert text.startswith("# Feedback for bob\n\nTotal: 6\n\n\n## e1 First: 2/10\n\n```text\n")
    assert "\n```\n\n## e2 Second: 4/6\n\n```text\n" in text and text.endswith("\n```\n") and "\x1b[" not in text
    eve = (written / "feedback" / "eve.md").read_text(encoding="utf-8")
    assert eve == f"# Feedback for eve\n\nTotal: 0\n\n- submission: not graded: {PROBLEMS[('eve', '*')]}\n"


def test_results_lines_are_sorted_json_so_reruns_write_the_same_bytes(written):
    for line in (written / "results.jsonl").read_text().splitlines():
        assert list(json.loads(line)) == sorted(json.loads(line)) and '"checks": [{"max_points"' in line


HOSTILE = ["=HYPERLINK(\"http://evil\",\"x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"]


def test_no_cell_of_the_class_gradebook_can_run_as_a_formula():
    book = outputs.gradebook([*HOSTILE, "-0.5", "ok"], [E1], {("-2+3", "e1"): {"score": 7}},
                             {("@SUM(A1:A9)", "*"): "=bad reason"})
    rows = list(csv.reader(io.StringIO(book)))
    assert [row[0] for row in rows[2:]] == [f"'{h}" for h in HOSTILE] + ["-0.5", "ok"]
    assert rows[4][1:3] == ["7", "7"] and rows[5][3] == "submission: =bad reason"


def test_no_cell_of_marks_csv_files_can_run_as_a_formula():
    item = Item(1, "p-1", "mcq", 1, ("A", "B"), frozenset({"A"}), {"A": None, "B": "=mistake"}, {"A": "A", "B": "B"},
                None)
    wrong = Mark(item, "B", ("B",), "wrong", Fraction(-1, 3), ("=mistake",))
    results = [Result("=1+1", "@evil", True, (wrong,)), Result("-x", "+name", False, ())]
    book = list(csv.reader(io.StringIO(exam_gradebook.gradebook(results).decode())))
    assert book[1][:3] == ["'=1+1", "'@evil", "present"] and book[1][3] == "-0.33"  # a number stays a number
    assert book[2][:2] == ["'-x", "'+name"]
    breakdown = list(csv.reader(io.StringIO(exam_gradebook.breakdown(results).decode())))
    assert breakdown[1][0] == "'=1+1" and breakdown[1][-1] == "'=mistake" and breakdown[1][-2] == "-0.33"


@pytest.mark.parametrize("value, shown", [
    ("=1", "'=1"), ("+1+1", "'+1+1"), ("-", "'-"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("-0.5", "-0.5"), ("+3", "+3"), ("-1e-3", "-1e-3"), ("-.5", "-.5"), ("-1.", "-1."), ("- 1", "'- 1"),
    ("-1,5", "'-1,5"), ("a=1", "a=1"), ("", ""), (-2, -2), (None, None)])
def test_a_cell_is_quoted_only_when_a_spreadsheet_would_run_it(value, shown):
    assert cell(value) == shown


def test_csv_text_ends_lines_with_crlf_and_quotes_line_breaks_inside_cells():
    assert csv_text([["=a", 1], ["b\rc", "-1", "d\ne"]]) == "'=a,1\r\n\"b\rc\",-1,\"d\ne\"\r\n"
