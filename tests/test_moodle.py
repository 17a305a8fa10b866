"""`gengrade export moodle`: a well-formed Moodle XML bank, one category per problem."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.bank.load import load_bank
from grader.cli import main

TITLE = "Generative models / quiz"


@pytest.fixture(scope="module")
def blueprint(tmp_path_factory) -> Path:
    """Two problems of each type from the real bank, named by id (a topic would export its whole pool);
    parameterised problems first, so that categories hold several variants."""
    by_type: dict[str, list[str]] = {}
    for problem in sorted(load_bank().problems.values(), key=lambda p: (not p.params, p.id)):
        by_type.setdefault(problem.type, []).append(problem.id)
    sections = "".join(f"  - title: {kind}\n    problems: [{', '.join(by_type[kind][:2])}]\n    count: 1\n"
                       for kind in ("mcq", "msq", "nat"))
    path = tmp_path_factory.mktemp("bp") / "quiz.yaml"
    path.write_text(f"title: {TITLE}\nduration: 30\nsections:\n{sections}", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def quiz(blueprint: Path, tmp_path_factory) -> tuple[Path, ET.Element]:
    out = tmp_path_factory.mktemp("moodle") / "quiz.xml"
    result = CliRunner().invoke(main, ["export", "moodle", str(blueprint), "--variants", "3", "--seed", "5",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, ET.parse(out).getroot()


def questions(root: ET.Element) -> list[tuple[str, ET.Element]]:
    """(category path, question) for every non-category question."""
    current, out = "", []
    for node in root:
        if node.get("type") == "category":
            current = node.findtext("category/text")
        else:
            out.append((current, node))
    return out


def test_one_category_per_problem_with_variants(quiz) -> None:
    _, root = quiz
    categories = [n.findtext("category/text") for n in root if n.get("type") == "category"]
    assert len(categories) == len(set(categories)) == 6
    assert all(c.startswith("$course$/top/Generative models // quiz/") for c in categories)  # "/" escaped
    texts = []
    for category, question in questions(root):
        assert question.findtext("name/text").startswith(category.rsplit("/", 1)[1] + " #")
        texts.append(question.findtext("questiontext/text"))
        assert question.findtext("generalfeedback/text").strip()
    assert all("$" not in t for t in texts) and any("\\(" in t for t in texts)  # TeX for Moodle's MathJax
    assert len(texts) > 6  # parameterised problems give several variants


def test_numerical_questions_carry_tolerance_and_mistakes(quiz) -> None:
    numerical = [q for _, q in questions(quiz[1]) if q.get("type") == "numerical"]
    assert numerical
    for question in numerical:
        answers = question.findall("answer")
        assert answers[0].get("fraction") == "100"
        assert float(answers[0].findtext("tolerance")) > 0
        float(answers[0].findtext("text"))
        assert all(a.get("fraction") == "0" and a.findtext("feedback/text") for a in answers[1:])


def test_multichoice_fractions_and_feedback(quiz) -> None:
    for _, question in questions(quiz[1]):
        if question.get("type") != "multichoice":
            continue
        fractions = [float(a.get("fraction")) for a in question.findall("answer")]
        right = [f for f in fractions if f > 0]
        if question.findtext("single") == "true":
            assert right == [100] and all(f == -33.33333 for f in fractions if f <= 0)
        else:
            assert sum(right) == pytest.approx(100, abs=0.01) and all(f == -100 for f in fractions if f <= 0)
        assert all(a.findtext("feedback/text") for a in question.findall("answer"))


def test_export_is_reproducible_and_errors_exit_2(blueprint: Path, quiz, tmp_path: Path) -> None:
    again = tmp_path / "again.xml"
    assert CliRunner().invoke(main, ["export", "moodle", str(blueprint), "--variants", "3", "--seed", "5",
                                     "--out", str(again)]).exit_code == 0
    assert again.read_bytes() == quiz[0].read_bytes()
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\nduration: 5\nsections:\n  - title: s\n    topics: [nope]\n    count: 1\n")
    result = CliRunner().invoke(main, ["export", "moodle", str(bad), "--out", str(tmp_path / "q.xml")])
    assert result.exit_code == 2 and "bad.yaml:4: section 's': unknown topic 'nope'" in result.output
    assert not (tmp_path / "q.xml").exists()


def test_msq_is_all_or_nothing_by_default(quiz) -> None:
    """GATE gives an MSQ's marks only for exactly the right set: Moodle's multichoiceset type."""
    sets = [q for _, q in questions(quiz[1]) if q.get("type") == "multichoiceset"]
    assert sets and not [q for _, q in questions(quiz[1]) if q.findtext("single") == "false"]
    for question in sets:
        fractions = [a.get("fraction") for a in question.findall("answer")]
        assert set(fractions) == {"100", "0"} and question.findtext("incorrectfeedback/text")


def test_msq_partial_credit_on_request(blueprint: Path, tmp_path: Path) -> None:
    out = tmp_path / "partial.xml"
    result = CliRunner().invoke(main, ["export", "moodle", str(blueprint), "--variants", "2", "--seed", "5",
                                       "--msq-partial", "--out", str(out)])
    assert result.exit_code == 0, result.output
    multi = [q for _, q in questions(ET.parse(out).getroot()) if q.findtext("single") == "false"]
    assert multi and not [q for _, q in questions(ET.parse(out).getroot()) if q.get("type") == "multichoiceset"]
    for question in multi:
        fractions = [float(a.get("fraction")) for a in question.findall("answer")]
        assert sum(f for f in fractions if f > 0) == pytest.approx(100, abs=0.01)
        assert all(f == -100 for f in fractions if f <= 0)


def test_an_existing_quiz_is_replaced_only_with_force(blueprint: Path, tmp_path: Path) -> None:
    out = tmp_path / "quiz.xml"
    out.write_text("my earlier quiz\n")
    args = ["export", "moodle", str(blueprint), "--variants", "1", "--seed", "5", "--out", str(out)]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 2 and "quiz.xml" in refused.output and "--force" in refused.output
    assert out.read_text() == "my earlier quiz\n"
    assert CliRunner().invoke(main, [*args, "--force"]).exit_code == 0 and out.read_text().startswith("<?xml")
