"""A check's figure (grader.check.figure) reaches class feedback: inline SVG in the HTML page and a
PNG beside it, decoded here with zlib to count the dots of each colour; a passing check's note shows."""

from __future__ import annotations

import struct
import zlib

import torch

from grader.check import figure
from grader.check.display import format_report
from grader.check.models import CheckResult, Report
from grader.course import Exercise
from grader.grade import outputs

E = Exercise("e1", "First", "first.py", "first", 2, 60.0, "t")
FIG = figure.scatter("samples and data", {"samples": torch.tensor([[0.0, 0.0], [1.0, 1.0]]),
                                          "data": torch.tensor([[0.0, 1.0]])})


def pixels(png: bytes) -> list[tuple[int, int, int]]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    raw = zlib.decompress(png[png.index(b"IDAT") + 4:png.index(b"IEND") - 8])
    rows = [raw[r * (3 * width + 1) + 1:(r + 1) * (3 * width + 1)] for r in range(height)]
    assert all(raw[r * (3 * width + 1)] == 0 for r in range(height))  # filter type 0 on every row
    return [tuple(row[i:i + 3]) for row in rows for i in range(0, len(row), 3)]


def test_png_draws_each_point_as_a_3x3_dot_of_its_series_colour():
    counts = {c: pixels(figure.png(FIG)).count(c) for c in figure.COLOURS[:2]}
    assert counts == {figure.COLOURS[0]: 18, figure.COLOURS[1]: 9}  # two dots, then one: no overlap at the corners


def test_class_feedback_holds_the_figure_inline_and_as_a_png(tmp_path):
    check = CheckResult("samples", "samples look right", "pass", 2, 2, False, "distance 0.01 (limit 0.06)", None, FIG)
    report = Report("e1", "First", "ann/first.py", (check,), seed=1)
    outputs.write_outputs(tmp_path, ["ann"], [E], {("ann", "e1"): report.to_json()}, {})
    html = (tmp_path / "feedback" / "ann.html").read_text()
    assert html.count("<circle") == 3 and "samples and data" in html and "distance 0.01" in html
    assert pixels((tmp_path / "feedback" / "ann-e1-samples.png").read_bytes()).count(figure.COLOURS[1]) == 9
    outputs.write_outputs(tmp_path, ["ann"], [E], {("ann", "e1"): Report("e1", "First", "ann/first.py", (
        CheckResult("samples", "samples look right", "pass", 2, 2, False),), seed=1).to_json()}, {})
    assert not (tmp_path / "feedback" / "ann-e1-samples.png").exists()  # a figure no longer attached goes


def test_a_passing_check_shows_its_note():
    check = CheckResult("samples", "samples look right", "pass", 2, 2, False, "distance 0.01 (limit 0.06)")
    assert "distance 0.01 (limit 0.06)" in format_report(Report("e1", "First", "f.py", (check,)), color=False)
