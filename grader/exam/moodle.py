"""A blueprint's problems as a Moodle XML quiz bank.

Each problem becomes a question category holding several random variants (distinct
parameter draws), so a Moodle quiz can use "random question from category" and every
attempt sees a different instance. NAT problems become `numerical` questions whose
tolerance reproduces the key's accepted range; MCQ/MSQ become `multichoice` questions
whose wrong options carry the misconception's feedback. Formulas stay as TeX between
\\( \\) for Moodle's MathJax filter. GATE's rules are mirrored: a wrong single answer
costs a third; an MSQ scores only for exactly the right set, as a `multichoiceset`
question (Moodle's All-or-Nothing Multiple Choice type, a plugin). `msq_partial` writes
core `multichoice` instead, with Moodle's partial credit for a correct subset.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from grader.exam.draws import derive_seed
from grader.exam.markup import to_html
from grader.bank.options import OPTION_REF
from grader.bank.reading import number_tex
from grader.exam.render import number

Sampler = Callable[[Any, int], Any]
# Moodle accepts only these answer fractions (percent) in its question forms.
_FRACTIONS = {1: "100", 2: "50", 3: "33.33333", 4: "25", 5: "20", 6: "16.66667", 7: "14.28571",
              8: "12.5", 9: "11.11111", 10: "10"}


def _html(text: str, inline: bool = False) -> str:
    return to_html(text, inline, mathml=False)


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = "html") -> ET.Element:
    node = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(node, "text").text = text
    return node


def variants(problem: Any, count: int, seed: int, sample: Sampler) -> list:
    """Up to `count` variants with distinct parameters (a fixed problem has just one)."""
    seen, out = set(), []
    for index in range(count * 3):  # a small parameter space runs out of new draws early
        variant = sample(problem, derive_seed(seed, "moodle", problem.id, index))
        signature = tuple(sorted(variant.params.items()))
        if signature not in seen:
            seen.add(signature)
            out.append(variant)
        if len(out) == count or not variant.params:
            break
    return out


def question(variant: Any, name: str, msq_partial: bool = False) -> ET.Element:
    """One `<question>` element for a drawn variant."""
    kind = "numerical" if variant.type == "nat" else \
        "multichoiceset" if variant.type == "msq" and not msq_partial else "multichoice"
    node = ET.Element("question", {"type": kind})
    _text(node, "name", name, fmt=None)
    _text(node, "questiontext", _html(variant.stem))
    _text(node, "generalfeedback", _html(variant.solution))
    ET.SubElement(node, "defaultgrade").text = str(variant.marks)
    ET.SubElement(node, "penalty").text = "0"
    ET.SubElement(node, "hidden").text = "0"
    {"numerical": _numerical, "multichoice": _multichoice, "multichoiceset": _all_or_nothing}[kind](node, variant)
    return node


def _numerical(node: ET.Element, variant: Any) -> None:
    """The key's range first (Moodle takes the first answer that matches), then known wrong values."""
    interval = variant.interval or (variant.answer, variant.answer)
    _range(node, "100", interval, variant.answer, f"Correct: ${number_tex(variant.answer)}$.")
    for wrong in variant.distractors:
        if wrong.interval is not None:
            _range(node, "0", wrong.interval, None, wrong.feedback)
    ET.SubElement(node, "unitgradingtype").text = "0"
    ET.SubElement(node, "showunits").text = "3"  # no unit input box


def _range(node: ET.Element, fraction: str, interval: tuple, centre: float | None, feedback: str) -> None:
    """An answer accepting exactly [lo, hi]: its centre with half the width as tolerance."""
    lo, hi = interval
    if centre is None or abs((centre - lo) - (hi - centre)) > 1e-12 * max(1.0, abs(centre)):
        centre = (lo + hi) / 2
    answer = ET.SubElement(node, "answer", {"fraction": fraction, "format": "moodle_auto_format"})
    ET.SubElement(answer, "text").text = number(centre, 12)
    ET.SubElement(answer, "tolerance").text = number((hi - lo) / 2, 12)
    _text(answer, "feedback", _html(feedback, inline=True))


def _choices(node: ET.Element, variant: Any, fractions: tuple[str, str]) -> None:
    """Shuffle and numbering settings, then each option with its (right, wrong) fraction and feedback."""
    # A solution that names an option by letter ("option B") needs the bank's order kept.
    letters_named = OPTION_REF.search(variant.solution + "".join(o.feedback for o in variant.options))
    ET.SubElement(node, "shuffleanswers").text = "false" if letters_named else "true"
    ET.SubElement(node, "answernumbering").text = "ABCD"
    for option in variant.options:
        answer = ET.SubElement(node, "answer", {"fraction": fractions[not option.correct], "format": "html"})
        ET.SubElement(answer, "text").text = _html(option.text, inline=True)
        feedback = option.feedback or ("Correct." if option.correct else "Not this one.")
        _text(answer, "feedback", _html(feedback, inline=True))


def _multichoice(node: ET.Element, variant: Any) -> None:
    """Core Moodle: an MCQ loses a third for a wrong option; an MSQ (with --msq-partial) earns
    1/k per right option of k, and any wrong option cancels the question."""
    single = variant.type == "mcq"
    ET.SubElement(node, "single").text = "true" if single else "false"
    correct = sum(o.correct for o in variant.options)
    _choices(node, variant, ("100" if single else _FRACTIONS.get(correct, "100"), "-33.33333" if single else "-100"))


def _all_or_nothing(node: ET.Element, variant: Any) -> None:
    """GATE's MSQ rule: full marks for exactly the right set, else none (qtype_multichoiceset)."""
    _text(node, "correctfeedback", "Correct: exactly the right options.")
    _text(node, "incorrectfeedback", "Not exactly the right options, so no marks (GATE rule).")
    _choices(node, variant, ("100", "0"))


def quiz(title: str, problems: list, count: int, seed: int, sample: Sampler, msq_partial: bool = False) -> bytes:
    """The whole export: one category per problem, its variants below it."""
    root = ET.Element("quiz")
    root.append(ET.Comment(f" gengrade export of '{title}', seed {seed}, up to {count} variants per problem "))
    base = "$course$/top/" + title.replace("/", "//")
    for problem in problems:
        category = ET.SubElement(root, "question", {"type": "category"})
        _text(category, "category", f"{base}/{problem.id}", fmt=None)
        for index, variant in enumerate(variants(problem, count, seed, sample), start=1):
            root.append(question(variant, f"{problem.id} #{index}", msq_partial))
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"
