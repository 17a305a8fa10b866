"""Item analysis, gradebook and breakdown of a marked class, checked by numbers computed here
from their definitions (Kelley's 27% groups, facility, discrimination, histogram bins, median,
GATE scores), on a class built so that each rule changes a number."""

from __future__ import annotations

import csv
import io
import re
import statistics
from fractions import Fraction

import pytest

from grader.exam.gradebook import breakdown, gradebook
from grader.exam.item_analysis import analyse, histogram_svg, report_context
from grader.exam.manifest import Item
from grader.exam.marking import Result, score

# printed letter -> bank letter is the identity here; C of the MCQ is correct *and* names a misconception
MCQ = Item(1, "pick", "mcq", 1, tuple("ABCD"), frozenset("C"), {"A": "m-a", "B": "m-b", "C": "m-right", "D": None},
           {x: x for x in "ABCD"}, None)
MSQ = Item(2, "multi", "msq", 2, tuple("ABCD"), frozenset("AC"), {"A": None, "B": "m-b2", "C": None, "D": "m-d2"},
           {x: x for x in "ABCD"}, None)
NAT = Item(3, "num", "nat", 2, (), frozenset(), {}, {}, (0.67, 0.69),
           (("doubled", 1.34, 1.38), ("halved", 0.335, 0.345), ("never-chosen", 5.0, 6.0)))


def mark(item: Item, cell: str):
    if item.type == "nat":
        return score(item, cell, (), float(cell) if cell else None)
    letters = tuple(sorted(cell.replace(",", "")))
    return score(item, ",".join(letters), letters, None)


def student(sid: str, *cells: str, present: bool = True) -> Result:
    items = (MCQ, MSQ, NAT)[:len(cells)]
    return Result(sid, sid.upper(), present, tuple(mark(i, c) for i, c in zip(items, cells)))


# Ten present students (totals by GATE rules in the comment) and two absent ones who, if they were
# counted, would change every statistic.
CLASS = [
    student("s01", "C", "A,C", "0.68"),   # 1 + 2 + 2 = 5
    student("s02", "C", "A,C", "0.67"),   # 5
    student("s03", "C", "A,C", "1.36"),   # 3
    student("s04", "A", "A,C", "0.69"),   # -1/3 + 2 + 2 = 11/3
    student("s05", "C", "A,B,D", "0.5"),  # 1
    student("s06", "B", "A", "0.34"),     # -1/3
    student("s07", "", "B,D", "0.68"),    # 2
    student("s08", "D", "", ""),          # -1/3
    student("s09", "C", "A,C", ""),       # 3
    student("s10", "A", "D", "1.35"),     # -1/3
    student("x1", "", "", "", present=False),
    student("x2", "", "", "", present=False),
]
TOTALS = {"s01": 5, "s02": 5, "s03": 3, "s04": Fraction(11, 3), "s05": 1, "s06": Fraction(-1, 3), "s07": 2,
          "s08": Fraction(-1, 3), "s09": 3, "s10": Fraction(-1, 3)}


def test_the_class_totals_follow_gate_rules():
    assert {r.student_id: r.total for r in CLASS if r.present} == TOTALS


def kelley(totals: dict) -> tuple[list[str], list[str]]:
    """Upper and lower 27%: n = 10 gives groups of 3 (27% of 10 = 2.7), ties by id."""
    ranked = sorted(totals, key=lambda s: (-totals[s], s))
    return ranked[:3], ranked[-3:]


def test_facility_and_discrimination_from_kelleys_groups():
    upper, lower = kelley(TOTALS)
    assert upper == ["s01", "s02", "s04"] and lower == ["s06", "s08", "s10"]
    stats = {s.problem_id: s for s in analyse(CLASS)[0]}
    right = {"pick": {"s01", "s02", "s03", "s05", "s09"}, "multi": {"s01", "s02", "s03", "s04", "s09"},
             "num": {"s01", "s02", "s04", "s07"}}
    for pid, who in right.items():
        item = stats[pid]
        assert item.n == 10 and item.right == len(who)  # the absent two are not counted
        assert item.facility == pytest.approx(len(who) / 10)
        expected = (len(who & set(upper)) - len(who & set(lower))) / 3
        assert item.discrimination == pytest.approx(expected), pid
    assert [stats[p].blank for p in ("pick", "multi", "num")] == [1, 1, 2]


def test_option_and_misconception_counts():
    stats, misconceptions = analyse(CLASS)
    by_id = {s.problem_id: s for s in stats}
    # MCQ: chosen A twice, B once, C five times, D once; C is right, so m-right is never a mistake
    assert [(letter, correct, name, count) for letter, correct, name, count in by_id["pick"].options] == [
        ("A", False, "m-a", 2), ("B", False, "m-b", 1), ("C", True, "m-right", 5), ("D", False, "", 1)]
    # NAT: every known wrong value listed, the unchosen one with 0
    assert by_id["num"].options == (("", False, "doubled", 2), ("", False, "halved", 1), ("", False, "never-chosen", 0))
    assert misconceptions == {"m-a": 2, "m-b": 1, "m-b2": 2, "m-d2": 3, "doubled": 2, "halved": 1}


def test_report_numbers_mean_median_and_present_count():
    context = report_context("T", CLASS)
    values = sorted(TOTALS.values())
    assert (context["students"], context["present"], context["maximum"]) == (12, 10, 5)
    assert context["median"] == f"{statistics.median(values):.2f}" == "2.50"  # even class: mean of the middle two
    assert context["mean"] == f"{float(sum(values)) / 10:.2f}"
    assert (context["lowest"], context["highest"]) == ("-0.33", "5.00")
    odd = report_context("T", CLASS[:9])
    assert odd["median"] == f"{statistics.median(sorted(TOTALS[s] for s in list(TOTALS)[:9])):.2f}" == "3.00"


def bars(svg: str) -> list[tuple[str, int]]:
    return [(label, int(count)) for label, count in re.findall(r"<title>(.*?): (\d+)</title>", svg)]


def test_histogram_bins_hold_each_total_once():
    """Bins [low + i*step, low + (i+1)*step) from floor(lowest) to the maximum, 20 at most."""
    totals = [Fraction(-1, 3), Fraction(-1, 3), 0, Fraction(1, 2), 1, 7]
    assert bars(histogram_svg(totals, 7)) == [("-1 to 0", 2), ("0 to 1", 2), ("1 to 2", 1)] + \
        [(f"{k} to {k + 1}", 0) for k in range(2, 7)] + [("7 to 8", 1)]
    wide = bars(histogram_svg([0, 2, 3, 44, 45], 45))  # step ceil(45 / 20) = 3
    assert len(wide) == 16 and wide[0] == ("0 to 3", 2) and wide[1] == ("3 to 6", 1)
    assert wide[-2:] == [("42 to 45", 1), ("45 to 48", 1)] and sum(c for _, c in wide) == 5


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def test_short_papers_keep_their_scores_under_their_own_columns():
    results = [student("long", "C", "B", "0.68"), student("short", "A"), student("mid", "", "A,C")]
    table = rows(gradebook(results))
    assert table[0] == ["student_id", "name", "status", "Q1", "Q2", "Q3", "attempted", "right", "wrong", "total",
                        "max_marks"]
    assert table[1] == ["long", "LONG", "present", "1.00", "0.00", "2.00", "3", "2", "1", "3.00", "5"]
    assert table[2] == ["short", "SHORT", "present", "-0.33", "", "", "1", "0", "1", "-0.33", "1"]
    assert table[3] == ["mid", "MID", "present", "", "2.00", "", "1", "1", "0", "2.00", "3"]


def test_breakdown_names_every_misconception_of_an_answer():
    """An MSQ with two wrong options names both mistakes, in marking and in breakdown.csv."""
    both = mark(MSQ, "B,C,D")
    assert both.outcome == "wrong" and both.misconceptions == ("m-b2", "m-d2")
    table = rows(breakdown([Result("s", "S", True, (mark(MCQ, "C"), both, mark(NAT, "1.36")))]))
    assert [r[-1] for r in table[1:]] == ["", "m-b2;m-d2", "doubled"]  # the right C names nothing
    assert table[3][6] == "0.67..0.69"


def test_report_of_a_class_with_nobody_present_and_of_no_class():
    absent = report_context("T", [student("x1", "", "", "", present=False)])
    assert (absent["present"], absent["maximum"], absent["mean"], absent["median"]) == (0, 5, "-", "0.00")
    assert (absent["lowest"], absent["highest"], absent["items"], absent["misconceptions"]) == ("-", "-", [], [])
    assert report_context("T", [])["maximum"] == 0


def test_report_items_and_mistakes_as_printed():
    context = report_context("T", CLASS)
    pick = next(i for i in context["items"] if i["problem_id"] == "pick")
    assert (pick["facility"], pick["discrimination"], pick["n"], pick["blank"], pick["marks"]) == ("0.50", "0.67", 10, 1, 1)
    assert pick["options"][2] == {"letter": "C", "correct": True, "misconception": "m-right", "count": 5}
    one = report_context("T", CLASS[:1])["items"][0]
    assert one["discrimination"] == "n/a" and one["facility"] == "1.00"
    # by count, most chosen first; ties by name
    assert context["misconceptions"] == [("m-d2", 3), ("doubled", 2), ("m-a", 2), ("m-b2", 2), ("halved", 1),
                                         ("m-b", 1)]


def shapes(svg: str, tag: str) -> list[dict]:
    return [dict(re.findall(r'(\w[\w-]*)="([^"]*)"', m)) | {"text": t}
            for m, t in re.findall(rf"<{tag}\b([^>]*)>([^<]*)", svg)]


@pytest.mark.parametrize("width, height", [(640, 240), (300, 500)])
def test_histogram_geometry(width, height):
    """Bars side by side inside the plot, standing on the axis, heights in proportion to the counts
    (the tallest fills the plot), a count above each non-empty bar and each bin's lower edge below it."""
    counts = [2, 0, 1, 0, 0, 0, 0, 0, 4]  # totals -1..7 in bins of 1
    totals = [Fraction(-1, 2)] * 2 + [Fraction(3, 2)] + [7] * 4
    svg = histogram_svg(totals, 7, width, height)
    assert svg.startswith(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"')
    rects = shapes(svg, "rect")
    assert len(rects) == len(counts)
    base, slot = height - 40, (width - 60) / len(counts)
    for i, (rect, count) in enumerate(zip(rects, counts)):
        x, y, w, h = (float(rect[k]) for k in ("x", "y", "width", "height"))
        assert x == pytest.approx(40 + i * slot + 1, abs=0.06) and w == pytest.approx(slot - 2, abs=0.06)
        assert y + h == pytest.approx(base, abs=0.1) and h == pytest.approx((height - 60) * count / 4, abs=0.06)
    texts = shapes(svg, "text")
    above = [t for t in texts if t.get("font-size") == "11" and float(t["y"]) < base]
    assert [int(t["text"]) for t in above] == [2, 1, 4]
    for t, i in zip(above, (0, 2, 8)):
        assert float(t["x"]) == pytest.approx(40 + (i + 0.5) * slot, abs=0.06)
        assert float(t["y"]) == pytest.approx(base - 4 - (height - 60) * counts[i] / 4, abs=0.06)
    below = [t for t in texts if t.get("y") == str(base + 16)]
    assert [t["text"] for t in below] == [str(k) for k in range(-1, 8)]
    assert [float(t["x"]) for t in below] == pytest.approx([40 + i * slot for i in range(9)], abs=0.06)
    assert f'<line x1="40" y1="{base}" x2="{width - 10}" y2="{base}"' in svg
    caption = texts[-1]
    assert caption["text"] == "total score" and caption["x"] == f"{width / 2:.0f}" and caption["y"] == str(height - 6)
    assert svg.endswith("</svg>") and 'aria-label="Histogram of total scores"' in svg


def test_an_empty_histogram_has_flat_bars():
    rects = shapes(histogram_svg([], 4), "rect")
    assert len(rects) == 5 and {r["height"] for r in rects} == {"0.0"}


def test_small_classes_groups_and_a_lower_group_that_answers_right():
    """Two students: groups of one (27% of 2 rounds to 1); three: still one each; a right answer in the
    lower group lowers the discrimination."""
    two = {s.problem_id: s for s in analyse([student("a", "C"), student("b", "A")])[0]}
    assert two["pick"].discrimination == 1.0 and two["pick"].type == "mcq" and two["pick"].marks == 1
    three = analyse([student("a", "C", "A,C"), student("b", "C"), student("c", "A", "A,C")])[0]
    by_id = {s.problem_id: s for s in three}
    # totals 3, 1, 5/3: upper {a}, lower {b}; pick: a right, b right -> (1 - 1) / 1
    assert by_id["pick"].discrimination == 0.0 and by_id["multi"].discrimination == 1.0
    assert analyse([student("a", "C")])[0][0].discrimination is None


def test_a_mistake_named_in_two_items_is_counted_in_both():
    twin = Item(2, "pick-too", "mcq", 1, tuple("ABCD"), frozenset("C"), {"A": "m-a", "B": None, "C": None, "D": None},
                {x: x for x in "ABCD"}, None)
    results = [Result("s", "S", True, (mark(MCQ, "A"), mark(twin, "A"))), Result("t", "T", True, (mark(MCQ, "A"),))]
    assert analyse(results)[1] == {"m-a": 3}


def test_options_are_listed_in_bank_order_whatever_the_printed_order():
    printed = Item(1, "pick", "mcq", 1, tuple("ABCD"), frozenset("A"), {"A": None, "B": "m-1", "C": "m-2", "D": "m-3"},
                   {"A": "C", "B": "D", "C": "A", "D": "B"}, None)  # printed A is the bank's C, ...
    (stats,), _ = analyse([Result("s", "S", True, (score(printed, "B", ("B",), None),))])
    assert stats.options == (("A", False, "m-2", 0), ("B", False, "m-3", 0), ("C", True, "", 0), ("D", False, "m-1", 1))


def test_histogram_defaults_and_bin_widths():
    svg = histogram_svg([0, 1], 1)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="240"')
    assert svg.endswith("total score</text></svg>") and "><rect" in svg
    assert bars(svg) == [("0 to 1", 1), ("1 to 2", 1)]  # a span of 1: two bins of width 1
    assert bars(histogram_svg([20, 21], 21))[-1] == ("20 to 22", 2)  # a span of 21: bins of 2, at most 20 bins
    assert len(bars(histogram_svg([], 20))) == 21 and len(bars(histogram_svg([], 21))) == 11


def test_an_empty_class_has_a_gradebook_header_and_nothing_else():
    assert rows(gradebook([])) == [["student_id", "name", "status", "attempted", "right", "wrong", "total", "max_marks"]]
    assert rows(breakdown([]))[1:] == []
    table = rows(gradebook([student("gone", "", present=False), student("here", "C")]))
    assert table[1] == ["gone", "GONE", "absent", "", "", "", "", "", "1"]
    assert table[2] == ["here", "HERE", "present", "1.00", "1", "1", "0", "1.00", "1"]


def test_breakdown_rows_for_each_present_student_with_keys_and_marks():
    results = [student("gone", "", present=False), student("s", "A", "A,C", "")]
    table = rows(breakdown(results))
    assert table[0] == ["student_id", "question", "problem_id", "type", "marks", "response", "key", "outcome", "score",
                        "misconception"]
    assert table[1:] == [["s", "Q1", "pick", "mcq", "1", "A", "C", "wrong", "-0.33", "m-a"],
                         ["s", "Q2", "multi", "msq", "2", "A,C", "A,C", "right", "2.00", ""],
                         ["s", "Q3", "num", "nat", "2", "", "0.67..0.69", "blank", "", ""]]


@pytest.mark.parametrize("lo, hi, text", [
    (0.673123, 0.693123, "0.6731..0.6931"),  # a width of 0.02: four decimals
    (1234.5, 2234.5, "1234..2234"),  # a width of 1000: no decimals
    (0.1234567, 0.1234567, "0.123457..0.123457"),  # an exact range: six decimals
    (-0.005, 0.015, "-0.005..0.015"), (0.0, 1.0, "0..1"),
    (1230.4, 2230.4, "1230..2230"),  # no point: the zeros of a whole number stay
    (-0.00001, 0.01999, "0..0.02"),  # -0.0000 is 0
])
def test_interval_text_rounds_to_a_hundredth_of_the_width(lo, hi, text):
    from grader.exam.gradebook import interval_text

    assert interval_text(lo, hi) == text


def test_scores_round_half_away_from_zero_and_files_end_lines_with_crlf():
    """Every CSV line ends in CRLF (RFC 4180), so a CR inside a cell is quoted (grader/spreadsheet.py)."""
    from grader.exam.gradebook import fmt

    halves = [Fraction(1, 200), Fraction(-1, 200), Fraction(1, 2), Fraction(-1, 2), Fraction(1, 3), Fraction(0)]
    assert [fmt(v) for v in halves] == ["0.01", "-0.01", "0.50", "-0.50", "0.33", "0.00"]
    for data in (gradebook(CLASS), breakdown(CLASS)):
        assert data.endswith(b"\r\n") and data.count(b"\r\n") == data.count(b"\n") == len(rows(data))
