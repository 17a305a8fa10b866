"""GATE marking on hand-made papers and response sheets (no bank needed)."""

from __future__ import annotations

import csv
import json
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.exam import manifest
from grader.cli import main
from grader.exam.gradebook import fmt
from grader.exam.item_analysis import analyse, histogram_svg
from grader.exam.paper import Paper, Question, SectionHead
from grader.bank.variants import Distractor, Option, Variant


def mcq(pid: str, marks: int, correct: int, misconceptions=("m-a", "m-b", "m-c")) -> Variant:
    wrong = iter(misconceptions)
    options = tuple(Option(f"option {i}", i == correct, None if i == correct else next(wrong), "why")
                    for i in range(4))
    return Variant(pid, pid, "t", "mcq", marks, {}, f"Stem of {pid}", "Because.", options,
                   answer_exact="ABCD"[correct])


def msq(pid: str, correct: set[int]) -> Variant:
    options = tuple(Option(f"claim {i}", i in correct, None if i in correct else f"{pid}-wrong-{i}")
                    for i in range(4))
    return Variant(pid, pid, "t", "msq", 2, {}, "Which hold?", "These.", options)


def nat(pid: str, lo: float, hi: float) -> Variant:
    return Variant(pid, pid, "t", "nat", 2, {"a": "1/2"}, "Compute.", "So.", answer=(lo + hi) / 2,
                   answer_exact="1/2", interval=(lo, hi),
                   distractors=(Distractor("doubled", "1", "Twice the answer.", (2 * lo, 2 * hi)),))


VARIANTS = [mcq("one", 1, 2), mcq("two", 2, 0), msq("multi", {0, 2}), nat("num", 0.67, 0.69)]


def paper(student_id: str, order=(0, 1, 2, 3)) -> Paper:
    """Questions in the given problem order; options printed reversed (D C B A)."""
    questions = tuple(Question(n, 0, VARIANTS[i], 1, tuple(reversed(range(len(VARIANTS[i].options)))))
                      for n, i in enumerate(order, start=1))
    return Paper("Hand-made", "10 minutes", "", student_id, student_id.upper(), (SectionHead("All", ""),), questions)


@pytest.fixture()
def exam_dir(tmp_path: Path) -> Path:
    papers = [paper("s1"), paper("s2", (3, 2, 1, 0)), paper("s3"), paper("s4"), paper("absent")]
    records = [manifest.paper_record(p, {}) for p in papers]
    (tmp_path / "manifest.json").write_bytes(manifest.dump({"title": "Hand-made", "seed": 1}, records))
    return tmp_path


def write_sheet(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(rows)
    return path


def run_mark(exam_dir: Path, rows: list[list[str]], *extra: str):
    sheet = write_sheet(exam_dir / "responses.csv", rows)
    result = CliRunner().invoke(main, ["mark", str(exam_dir / "manifest.json"), str(sheet),
                                       "--out", str(exam_dir / "marks"), *extra])
    return result


def gradebook(exam_dir: Path) -> dict[str, dict[str, str]]:
    with (exam_dir / "marks" / "gradebook.csv").open(encoding="utf-8") as stream:
        return {row["student_id"]: row for row in csv.DictReader(stream)}


# Printed letters are reversed: bank option i is printed as letter "DCBA"[i].
# one: bank C -> printed B; two: bank A -> printed D; multi: bank {A, C} -> printed {D, B}.
HEADER = ["student_id", "name", "Q1", "Q2", "Q3", "Q4"]


def test_gate_rules_right_wrong_blank_partial_and_edges(exam_dir: Path) -> None:
    rows = [HEADER,
            ["s1", "x", "B", "D", "B,D", "0.67"],  # all right, NAT at the lower edge
            ["s2", "x", "0.69", "bd", "D", "b"],  # order reversed: Q1 is num (upper edge), Q4 is one
            ["s3", "x", "A", "A", "D", "0.6899"],  # wrong 1-mark, wrong 2-mark, MSQ subset, NAT inside
            ["s4", "x", "", "", "B,C,D", "0.691"]]  # blanks, MSQ superset, NAT just outside
    result = run_mark(exam_dir, rows)
    assert result.exit_code == 0, result.output
    book = gradebook(exam_dir)
    assert [book["s1"][q] for q in ("Q1", "Q2", "Q3", "Q4", "total")] == ["1.00", "2.00", "2.00", "2.00", "7.00"]
    assert [book["s2"][q] for q in ("Q1", "Q2", "Q3", "Q4", "total")] == ["2.00", "2.00", "2.00", "1.00", "7.00"]
    assert [book["s3"][q] for q in ("Q1", "Q2", "Q3", "Q4", "total")] == ["-0.33", "-0.67", "0.00", "2.00", "1.00"]
    # blanks leave their cells empty; a wrong MSQ and a NAT outside its range score 0.00
    assert [book["s4"][q] for q in ("Q1", "Q2", "Q3", "Q4", "total")] == ["", "", "0.00", "0.00", "0.00"]
    absent = book["absent"]
    assert absent["status"] == "absent" and absent["max_marks"] == "7"
    assert [absent[c] for c in ("Q1", "Q2", "Q3", "Q4", "attempted", "right", "wrong", "total")] == [""] * 8
    assert book["s3"]["wrong"] == "3" and book["s4"]["attempted"] == "2"


def test_breakdown_names_the_misconception_chosen(exam_dir: Path) -> None:
    assert run_mark(exam_dir, [HEADER, ["s1", "", "A", "C", "A,B", "1.36"], ["s3", "", "", "", "", ""]]).exit_code == 0
    with (exam_dir / "marks" / "breakdown.csv").open(encoding="utf-8") as stream:
        rows = {row["question"]: row for row in csv.DictReader(stream) if row["student_id"] == "s1"}
    assert rows["Q1"]["misconception"] == "m-c"  # printed A is bank D, the third distractor
    assert rows["Q2"]["misconception"] == "m-a"  # printed C is bank B
    assert rows["Q3"]["misconception"] == "multi-wrong-3" and rows["Q3"]["outcome"] == "wrong"
    assert rows["Q4"]["misconception"] == "doubled" and rows["Q4"]["score"] == "0.00"


def test_item_analysis_report(exam_dir: Path) -> None:
    rows = [HEADER, ["s1", "", "B", "D", "B,D", "0.68"], ["s2", "", "0.68", "B,D", "D", "B"],
            ["s3", "", "A", "A", "D", "1"], ["s4", "", "C", "", "", ""]]
    assert run_mark(exam_dir, rows).exit_code == 0
    report = (exam_dir / "marks" / "item-analysis.html").read_text(encoding="utf-8")
    assert "<svg" in report and "Histogram of total scores" in report
    assert "<code>one</code>" in report and "m-c" in report


def test_facility_and_discrimination_by_hand() -> None:
    from grader.exam.marking import Result, score

    items = [manifest._item(manifest.question_record(q)) for q in paper("x").questions]
    one = items[0]

    def student(sid: str, right: bool, total_extra: int) -> Result:
        marks = [score(one, "B" if right else "A", ("B",) if right else ("A",), None)]
        marks += [score(items[3], "0.68", (), 0.68)] * total_extra
        return Result(sid, sid, True, tuple(marks))

    results = [student("a", True, 3), student("b", True, 2), student("c", False, 1), student("d", False, 0)]
    stats, misconceptions = analyse(results)
    first = stats[0]
    assert first.facility == 0.5 and first.discrimination == 1.0  # groups of round(0.27 * 4) = 1
    assert misconceptions["m-c"] == 2  # printed A is bank D
    assert histogram_svg([Fraction(-1, 3), Fraction(7)], 7).count("<rect") == 9  # -1 .. 7


def test_fmt_rounds_thirds() -> None:
    assert [fmt(Fraction(-1, 3)), fmt(Fraction(-2, 3)), fmt(Fraction(5, 3)), fmt(Fraction(-1, 1000))] == \
        ["-0.33", "-0.67", "1.67", "0.00"]


@pytest.mark.parametrize("rows, needle", [
    ([["id", "Q1", "Q2", "Q3", "Q4"], ["s1", "A", "", "", ""]], "missing column 'student_id'"),
    ([HEADER + ["Q9"], ["s1", "", "A", "", "", "", ""]], "unknown question column 'Q9'"),
    ([["student_id", "Q1", "Q2", "Q3"], ["s1", "A", "", ""]], "missing column Q4"),
    ([HEADER, ["s1", "", "A", "", "", ""], ["s1", "", "B", "", "", ""]], "row 3: duplicate student_id 's1'"),
    ([HEADER, ["s2", "", "zero", "", "", ""]], "row 2: Q1 (numerical answer): cannot read 'zero'"),
    ([HEADER, ["s2", "", "2.3.1", "", "", ""]], "row 2: Q1 (numerical answer): cannot read '2.3.1'"),
    ([HEADER, ["s1", "", "E", "", "", ""]], "row 2: Q1 (one option): 'E' is not among the options A-D"),
    ([HEADER, ["s1", "", "A,B", "", "", ""]], "row 2: Q1 (one option): 'A,B': this question takes exactly one"),
    ([HEADER, ["s1", "", "A", "B"]], "row 2: 4 cells but the header has 6 columns"),
    ([HEADER, ["nobody", "", "A", "", "", ""]], "row 2: student_id 'nobody' has no paper"),
])
def test_bad_responses_exit_2_and_leave_output_alone(exam_dir: Path, rows, needle: str) -> None:
    out = exam_dir / "marks"
    out.mkdir()
    (out / "gradebook.csv").write_text("earlier marks\n")
    (out / "notes.txt").write_text("mine\n")
    result = run_mark(exam_dir, rows, "--force")
    assert result.exit_code == 2, result.output
    assert "responses.csv" in result.output and needle in result.output
    assert sorted(p.name for p in out.iterdir()) == ["gradebook.csv", "notes.txt"]
    assert (out / "gradebook.csv").read_text() == "earlier marks\n"
    assert not [p for p in exam_dir.iterdir() if ".staging-" in p.name]


def test_every_bad_row_is_named_in_one_run(exam_dir: Path) -> None:
    """Five faults on four rows (one row has two): all of them at once, in row order, nothing marked."""
    rows = [HEADER, ["s1", "", "B", "D", "B,D", "0.67"], ["s2", "", "zero", "", "E", ""], ["nobody", "", "A", "", "", ""],
            ["s3", "", "A", "A", "D", "0.6899"], ["s4", "", "A,B", "", "", "2.3.1"]]
    result = run_mark(exam_dir, rows)
    assert result.exit_code == 2, result.output
    needles = ["row 3: Q1 (numerical answer): cannot read 'zero'", "row 3: Q3 (one option): 'E' is not among",
               "row 4: student_id 'nobody' has no paper", "row 6: Q1 (one option): 'A,B': this question takes exactly one",
               "row 6: Q4 (numerical answer): cannot read '2.3.1'"]
    at = [result.output.find(n) for n in needles]
    assert -1 not in at and at == sorted(at), result.output
    assert not (exam_dir / "marks").exists()
    short = run_mark(exam_dir, [HEADER] + [["s1", "", "A", "B"]] * 25)  # rows 2-26 each lack two cells
    assert short.exit_code == 2 and short.output.count("cells but the header has 6 columns") == 20
    assert "row 21:" in short.output and "row 22:" not in short.output and "... and 5 more" in short.output


def test_a_semicolon_sheet_gets_a_hint_about_the_delimiter(exam_dir: Path) -> None:
    sheet = exam_dir / "responses.csv"
    sheet.write_text("student_id;name;Q1;Q2;Q3;Q4\ns1;x;B;D;B,D;0.67\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["mark", str(exam_dir / "manifest.json"), str(sheet), "--out", str(exam_dir / "m")])
    assert result.exit_code == 2 and "missing column 'student_id'" in result.output
    assert "separated by ';'" in result.output and "comma" in result.output
    plain = run_mark(exam_dir, [["id", "Q1", "Q2", "Q3", "Q4"], ["s1", "A", "", "", ""]])
    assert "';'" not in plain.output


def test_damaged_manifest_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"format": "something else"}')
    write_sheet(tmp_path / "r.csv", [["student_id"]])
    result = CliRunner().invoke(main, ["mark", str(tmp_path / "manifest.json"), str(tmp_path / "r.csv")])
    assert result.exit_code == 2 and "not a gengrade manifest" in result.output


def test_cells_are_read_like_gengrade_answer_reads_answers(exam_dir: Path) -> None:
    """The NAT range is 0.67..0.69: a percentage, a fraction and an expression all land inside it."""
    rows = [HEADER, ["s1", "", "b", "{D}", "d, b", "68%"], ["s2", "", "17/25", "B and D", "D", "B"],
            ["s3", "", "", "", "", "sqrt(0.4624)"]]
    assert run_mark(exam_dir, rows).exit_code == 0
    book = gradebook(exam_dir)
    assert book["s1"]["total"] == book["s2"]["total"] == "7.00" and book["s3"]["Q4"] == "2.00"


def test_earlier_marking_is_replaced_only_with_force(exam_dir: Path) -> None:
    rows = [HEADER, ["s1", "", "B", "D", "B,D", "0.68"]]
    assert run_mark(exam_dir, rows).exit_code == 0
    first = (exam_dir / "marks" / "gradebook.csv").read_bytes()
    again = run_mark(exam_dir, [HEADER, ["s1", "", "A", "", "", ""]])
    assert again.exit_code == 2 and "already holds breakdown.csv, gradebook.csv, item-analysis.html" in again.output
    assert (exam_dir / "marks" / "gradebook.csv").read_bytes() == first
    forced = run_mark(exam_dir, [HEADER, ["s1", "", "A", "", "", ""]], "--force")
    assert forced.exit_code == 0 and (exam_dir / "marks" / "gradebook.csv").read_bytes() != first


def test_json_without_out_does_not_replace_the_default_folder(exam_dir: Path) -> None:
    sheet = write_sheet(exam_dir / "responses.csv", [HEADER, ["s1", "", "B", "D", "B,D", "0.68"]])
    args = ["mark", str(exam_dir / "manifest.json"), str(sheet), "--json"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0 and (exam_dir / "marking" / "gradebook.csv").exists()
    totals = {s["student_id"]: s["total"] for s in json.loads(first.output)["students"]}
    assert totals["s1"] == "7.00" and totals["absent"] is None
    second = CliRunner().invoke(main, args)
    assert second.exit_code == 2 and "--force" in second.output


def test_breakdown_shows_blanks_and_nat_ranges_readably(exam_dir: Path) -> None:
    from grader.exam.gradebook import interval_text

    assert run_mark(exam_dir, [HEADER, ["s1", "", "", "", "", "0.7"]]).exit_code == 0
    with (exam_dir / "marks" / "breakdown.csv").open(encoding="utf-8") as stream:
        rows = {row["question"]: row for row in csv.DictReader(stream)}
    assert (rows["Q1"]["outcome"], rows["Q1"]["score"]) == ("blank", "")
    assert rows["Q4"]["key"] == "0.67..0.69" and rows["Q4"]["score"] == "0.00"
    assert interval_text(0.06800012320039915, 0.08800012320039914) == "0.068..0.088"
    assert interval_text(4.263e-05, 4.437e-05) == "0.00004263..0.00004437"
    assert interval_text(49.5, 50.5) == "49.5..50.5" and interval_text(-0.0101, 0.0099) == "-0.0101..0.0099"
