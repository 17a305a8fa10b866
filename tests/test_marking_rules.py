"""GATE marking rule by rule, through a hand-written manifest and response sheet.

Every expected score below is worked out from the rules (MCQ +m / -m/3, MSQ exact set or 0,
NAT inside the range ends included or 0, blank 0), not read from the marking code.
"""

from __future__ import annotations

import csv
import json
import re
from fractions import Fraction
from pathlib import Path

import pytest

from grader.errors import UsageError
from grader.exam import manifest
from grader.exam.marking import mark_sheet

LO, HI = 0.67, 0.69  # the NAT key's range
DOUBLED, HALVED = (1.34, 1.38), (0.335, 0.345)  # two known mistakes' ranges


def options(correct: set[str], misconceptions: dict[str, str | None]) -> list[dict]:
    return [{"letter": letter, "bank_index": index, "correct": letter in correct,
             "misconception": misconceptions.get(letter)} for index, letter in enumerate("ABCD")]


QUESTIONS = [
    {"number": 1, "problem_id": "one", "type": "mcq", "marks": 1,
     "options": options({"C"}, {"A": "m-a", "B": "m-b"})},  # D is a distractor without a name
    {"number": 2, "problem_id": "two", "type": "mcq", "marks": 2, "options": options({"A"}, {"B": "m-2b"})},
    {"number": 3, "problem_id": "multi", "type": "msq", "marks": 2,
     "options": options({"A", "C"}, {"B": "claims-b", "D": "claims-d"})},
    {"number": 4, "problem_id": "num", "type": "nat", "marks": 2, "interval": [LO, HI],
     "distractors": [{"misconception": "doubled", "interval": list(DOUBLED)},
                     {"misconception": "halved", "interval": list(HALVED)}]},
]


def write_manifest(folder: Path, papers: dict[str, list[dict]]) -> list[manifest.Entry]:
    data = {"format": manifest.FORMAT, "title": "rules", "seed": 1,
            "papers": [{"student_id": sid, "name": sid.upper(), "files": {}, "questions": qs}
                       for sid, qs in papers.items()]}
    path = folder / "manifest.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return manifest.load(path)[1]


@pytest.fixture
def mark(tmp_path: Path):
    """mark(rows, papers=...) -> {student_id: Result} for a sheet of rows under a Q1..Q4 header."""
    def run(rows, papers=None, header=("student_id", "Q1", "Q2", "Q3", "Q4")):
        entries = write_manifest(tmp_path, {"s1": QUESTIONS} if papers is None else papers)
        sheet = tmp_path / "responses.csv"
        with sheet.open("w", newline="", encoding="utf-8") as stream:
            csv.writer(stream).writerows([list(header), *rows])
        return {r.student_id: r for r in mark_sheet(sheet, entries)}
    return run


def scores(result) -> list[Fraction]:
    return [m.score for m in result.marks]


def test_all_right_then_all_wrong(mark):
    right = mark([["s1", "C", "A", "A,C", "0.68"]])["s1"]
    assert scores(right) == [1, 2, 2, 2] and right.total == 7 == right.maximum
    assert [m.outcome for m in right.marks] == ["right"] * 4
    wrong = mark([["s1", "A", "B", "A", "0.5"]])["s1"]
    assert scores(wrong) == [Fraction(-1, 3), Fraction(-2, 3), 0, 0] and wrong.total == -1
    assert [m.outcome for m in wrong.marks] == ["wrong"] * 4 and wrong.maximum == 7


def test_blank_cells_score_zero(mark):
    result = mark([["s1", "", " ", "", ""]])["s1"]
    assert [(m.outcome, m.score, m.response, m.chosen) for m in result.marks] == [("blank", 0, "", ())] * 4
    assert result.present and result.total == 0


@pytest.mark.parametrize("cell, outcome", [
    (repr(LO), "right"), (repr(HI), "right"), ("0.68", "right"), ("6.8e-1", "right"),
    ("0.66999999", "wrong"), ("0.69000001", "wrong"), ("-0.68", "wrong"),
])
def test_nat_range_includes_both_ends(mark, cell, outcome):
    result = mark([["s1", "", "", "", cell]])["s1"]
    assert (result.marks[3].outcome, result.marks[3].score) == (outcome, 2 if outcome == "right" else 0)
    assert result.marks[3].response == cell


@pytest.mark.parametrize("cell, mistakes", [
    (repr(DOUBLED[0]), ("doubled",)), (repr(DOUBLED[1]), ("doubled",)), ("1.36", ("doubled",)),
    (repr(HALVED[0]), ("halved",)), (repr(HALVED[1]), ("halved",)),
    ("1.3399", ()), ("1.3801", ()), ("0.3449999", ("halved",)), ("0.3451", ()),
])
def test_nat_mistake_ranges_include_both_ends(mark, cell, mistakes):
    nat = mark([["s1", "", "", "", cell]])["s1"].marks[3]
    assert (nat.outcome, nat.score, nat.misconceptions) == ("wrong", 0, mistakes)


def test_mcq_letters_are_normalised_and_wrong_ones_named(mark):
    marks = mark([["s1", " c ", "(b)", "", ""]])["s1"].marks
    assert (marks[0].response, marks[0].chosen, marks[0].outcome) == ("C", ("C",), "right")
    assert (marks[1].response, marks[1].misconceptions, marks[1].score) == ("B", ("m-2b",), Fraction(-2, 3))
    unnamed = mark([["s1", "d", "", "", ""]])["s1"].marks[0]
    assert (unnamed.outcome, unnamed.misconceptions, unnamed.score) == ("wrong", (), Fraction(-1, 3))


@pytest.mark.parametrize("cell, outcome, mistakes", [
    ("A,C", "right", ()), ("c a", "right", ()), ("{C; A}", "right", ()),
    ("A", "wrong", ()), ("C", "wrong", ()),  # a subset is wrong and names nothing
    ("A,B,C", "wrong", ("claims-b",)), ("D,B", "wrong", ("claims-b", "claims-d")), ("A,B,C,D", "wrong", ("claims-b", "claims-d")),
])
def test_msq_only_the_exact_set_scores(mark, cell, outcome, mistakes):
    msq = mark([["s1", "", "", cell, ""]])["s1"].marks[2]
    assert (msq.outcome, msq.score, msq.misconceptions) == (outcome, 2 if outcome == "right" else 0, mistakes)
    assert msq.response == ",".join(sorted(msq.chosen)) and msq.chosen == tuple(sorted(set(msq.chosen)))


@pytest.mark.parametrize("column, cell, needles", [
    ("Q1", "E", ("row 2: Q1", "'E'", "not among the options A(, B, C, |-)D")),
    ("Q1", "0.5", ("row 2: Q1", "'0.5'", "not among the options A(, B, C, |-)D")),  # not letters at all
    ("Q1", "?", ("row 2: Q1", r"'\?'", "not among the options A(, B, C, |-)D")),
    ("Q1", "A,B", ("row 2: Q1", "'A,B'", "one option")),
    ("Q3", "A,E", ("row 2: Q3", "'A,E'", "not among the options")),
    *[("Q4", cell, ("row 2: Q4", f"'{cell}'", "numerical", "number")) for cell in ("inf", "-inf", "nan", "1e999", "C")],
])
def test_unreadable_cells_are_usage_errors(mark, column, cell, needles):
    row = {"Q1": "", "Q2": "", "Q3": "", "Q4": "", column: cell}
    with pytest.raises(UsageError) as error:
        mark([["s1", row["Q1"], row["Q2"], row["Q3"], row["Q4"]]])
    message = str(error.value)
    assert "responses.csv" in message and all(re.search(n, message) for n in needles), message


def test_a_formula_question_cannot_be_answered_on_a_sheet(mark):
    expr = {"number": 1, "problem_id": "f", "type": "expr", "marks": 2, "answer": "2*x"}
    assert mark([["s1", ""]], papers={"s1": [expr]}, header=("student_id", "Q1"))["s1"].marks[0].outcome == "blank"
    with pytest.raises(UsageError, match="row 2: Q1 is a expr question, which response sheets cannot answer"):
        mark([["s1", "2*x"]], papers={"s1": [expr]}, header=("student_id", "Q1"))


@pytest.mark.parametrize("header, needle", [
    (("student_id", "Q0", "Q1", "Q2", "Q3", "Q4"), "unknown question column 'Q0'; the papers have questions Q1 to Q4"),
    (("student_id", "Q1", "Q2", "Q3", "Q4", "Q5"), "unknown question column 'Q5'"),
    (("student_id", "Q2", "Q3", "Q4"), "row 1: missing column Q1 (one column per question, blank meaning not attempted)"),
    (("student_id", "Q1", "Q2", "Q4"), "missing column Q3"),
])
def test_question_columns_must_match_the_papers(mark, header, needle):
    with pytest.raises(UsageError) as error:
        mark([], header=header)
    assert "responses.csv" in str(error.value) and needle in str(error.value)


def test_lower_case_columns_and_other_columns_are_accepted(mark):
    result = mark([["s1", "Ann", "c", "a", "a,c", "0.68"]], header=("student_id", "name", "q1", "q2", "q3", "q4"))
    assert result["s1"].total == 7


def test_papers_of_different_lengths_share_one_sheet(mark):
    papers = {"short": QUESTIONS[:3], "long": QUESTIONS}
    results = mark([["short", "C", "A", "A,C", ""], ["long", "", "", "", "0.68"]], papers=papers)
    assert (results["short"].total, results["short"].maximum, len(results["short"].marks)) == (5, 5, 3)
    assert (results["long"].total, results["long"].maximum) == (2, 7)
    with pytest.raises(UsageError, match="row 2: Q4 is answered but short's paper has 3 questions"):
        mark([["short", "C", "", "", "0.68"]], papers=papers)


def test_students_without_a_row_are_absent_with_blank_marks(mark):
    papers = {"s1": QUESTIONS, "away": QUESTIONS}
    results = mark([["s1", "C", "", "", ""]], papers=papers)
    away = results["away"]
    assert (away.present, away.name, away.total, away.maximum) == (False, "AWAY", 0, 7)
    assert [(m.outcome, m.response, m.chosen) for m in away.marks] == [("blank", "", ())] * 4
    assert (results["s1"].present, results["s1"].name, results["s1"].total) == (True, "S1", 1)
    assert list(results) == ["s1", "away"]  # manifest order


def test_a_student_without_a_paper_is_an_error(mark):
    with pytest.raises(UsageError, match="row 3: student_id 'ghost' has no paper in the manifest"):
        mark([["s1", "", "", "", ""], ["ghost", "", "", "", ""]])


def test_a_manifest_without_papers_marks_nobody(mark):
    assert mark([], papers={}, header=("student_id",)) == {}
