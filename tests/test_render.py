"""Rendering: Markdown/MathML/LaTeX conversion against their reference libraries, templates."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from latex2mathml.converter import convert

from grader.bank.load import load_bank
from grader.bank.instance import sample
from grader.cli import main
from grader.exam.markup import _MARKDOWN, split_math, to_html, to_latex
from grader.exam.mathml import to_mathml
from grader.exam.render import number
import renderer_marks
from renderer_marks import PDFLATEX


@pytest.fixture(scope="module")
def bank_texts() -> list[str]:
    """Every stem, option, feedback and solution of the bank, for three draws of each problem."""
    texts = []
    for problem in load_bank().problems.values():
        for seed in (1, 2, 3):
            v = sample(problem, seed)
            texts += [v.stem, v.solution, *(o.text for o in v.options), *(o.feedback for o in v.options)]
    return [t for t in dict.fromkeys(texts) if t.strip()]


def test_plain_text_shortcut_matches_markdown_it(bank_texts: list[str]) -> None:
    extra = ['Say "yes" & <no>', "Para one\n\nPara two", "1. a list", "x  \ny", "  indented", "**bold** $x$."]
    for text in bank_texts + extra:
        body, formulas = split_math(text.strip())
        reference = _MARKDOWN.render(body)
        for index, (latex, display) in enumerate(formulas):
            reference = reference.replace(f"\ue000{index}\ue001", convert(latex, display="block" if display else "inline"))
        ours = to_html(text).replace('<span class="nobreak">', "").replace("</span>", "")
        assert ours == reference.replace('<span class="nobreak">', "").replace("</span>", ""), text


def test_mathml_shape_cache_gives_latex2mathml_output(bank_texts: list[str]) -> None:
    formulas = [f for text in bank_texts for f in split_math(text)[1]]
    formulas += [("x^12", False), (r"\frac12 + 3.5", False), (r"\mathrm{10} + 2", False), (r"\text{step 2}", False),
                 (r"x_{1}^{2} - 0.25", True), (r"e^{-1/2} \approx 0.6065", False), (r"2. 5", False)]
    assert len(formulas) > 50
    for latex, display in formulas:
        assert to_mathml(latex, display) == convert(latex, display="block" if display else "inline"), latex


def test_latex_escapes_prose_and_keeps_maths() -> None:
    text = "Cost: 50% of $x_1^2$ & σ_t {really} #1 ~ **bold** `code_x`\n\n- one\n- two $$\\frac12$$"
    tex = to_latex(text)
    assert r"50\% of $x_1^2$ \& \ensuremath{\sigma}\_t \{really\} \#1 \textasciitilde{} \textbf{bold}" in tex
    assert r"\texttt{code\_x}" in tex and r"\begin{itemize}" in tex and r"\[\frac12\]" in tex


def test_numbers_print_the_same_everywhere() -> None:
    assert [number(0.1 + 0.2), number(-0.0), number(2.0), number(1 / 3, 6), number(1e-7)] == \
        ["0.3", "0", "2", "0.333333", "1e-07"]


def sheet(tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "sheet"
    result = CliRunner().invoke(main, ["sheet", "--topic", "gan", "--count", "4", "--seed", "3", "--out", str(out),
                                       *extra])
    assert result.exit_code == 0, result.output
    return out


def test_user_templates_override_by_name(tmp_path: Path) -> None:
    custom = tmp_path / "tpl"
    custom.mkdir()
    (custom / "paper.md.j2").write_text("CUSTOM {{ title }}: {{ sections[0].questions | length }} questions\n")
    out = sheet(tmp_path, "--format", "md", "--templates", str(custom))
    assert (out / "sheet.md").read_text() == "CUSTOM Practice sheet: gan: 4 questions\n"
    assert (out / "solutions.md").read_text().startswith("# Answer key")  # not overridden


@PDFLATEX
def test_latex_papers_compile(tmp_path: Path) -> None:
    out = sheet(tmp_path, "--format", "tex")
    for name in ("sheet.tex", "solutions.tex"):
        done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", name], cwd=out,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout[-2000:]


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PROBE = """<script>
// Runs after the page is laid out: every <math> box, and each fraction's numerator/denominator.
const box = e => e.getBoundingClientRect();
const probe = {
  maths: [...document.querySelectorAll('math')].map(m => [box(m).width, box(m).height]),
  fracs: [...document.querySelectorAll('mfrac')].map(f => [box(f.children[0]).bottom, box(f.children[1]).top]),
};
const pre = document.createElement('pre'); pre.id = 'probe'; pre.textContent = JSON.stringify(probe);
document.body.appendChild(pre);
</script>"""


def chromium(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    profile = cwd / "profile"
    return subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def png_is_blank(path: Path) -> bool:
    """True when the decoded pixel data holds (almost) a single value."""
    import struct
    import zlib

    data, pos, idat = path.read_bytes(), 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return len(set(zlib.decompress(idat))) < 16


@renderer_marks.CHROMIUM
def test_html_paper_shows_its_maths_in_chromium(tmp_path: Path) -> None:
    import json
    import re

    (tmp_path / "roster.csv").write_text("student_id,name\nx1,Test Student\n")
    root = Path(__file__).resolve().parents[1]
    result = CliRunner().invoke(main, ["exam", str(root / "examples" / "demo_blueprint.yaml"), "--roster",
                                       str(tmp_path / "roster.csv"), "--format", "html", "--out", str(tmp_path / "exam")])
    assert result.exit_code == 0, result.output
    key = (tmp_path / "exam" / "keys" / "x1.html").read_text(encoding="utf-8")
    (tmp_path / "probe.html").write_text(key.replace("</body>", PROBE + "\n</body>"), encoding="utf-8")
    dom = chromium("--dump-dom", (tmp_path / "probe.html").as_uri(), cwd=tmp_path).stdout
    probe = json.loads(re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S).group(1).replace("&quot;", '"'))
    assert len(probe["maths"]) > 10 and all(w > 0 and h > 0 for w, h in probe["maths"])
    assert probe["fracs"] and all(top_bottom <= bottom_top + 0.5 for top_bottom, bottom_top in probe["fracs"])

    shot = tmp_path / "paper.png"
    chromium(f"--screenshot={shot}", "--window-size=1000,1400", (tmp_path / "exam" / "papers" / "x1.html").as_uri(),
             cwd=tmp_path)
    assert shot.exists() and not png_is_blank(shot)


def test_option_letters_in_solutions_follow_the_shuffle() -> None:
    from grader.exam.paper import Question
    from grader.bank.variants import Option, Variant

    options = tuple(Option(f"o{i}", i == 1) for i in range(4))
    variant = Variant("p", "p", "t", "mcq", 1, {}, "stem", "So (option B); not options A or D.", options)
    question = Question(1, 0, variant, 0, (3, 2, 1, 0))  # printed A = bank D, ..., printed C = bank B
    assert question.shown.solution == "So (option C); not options D or A."
    assert question.letters == "C" and question.shown.answer_exact == "C"


@pytest.mark.parametrize("problem_id", ["we3c", "b5b"])
def test_small_keys_print_as_powers_of_ten_in_every_format(problem_id) -> None:
    """4.03583e-05 is code, not maths: keys in Markdown, LaTeX, MathML and Moodle feedback say x 10^-5."""
    from grader.exam.moodle import question
    from grader.exam.paper import Question
    from grader.exam.render import answer_text

    variant = sample(load_bank().problems[problem_id], None)
    assert variant.answer < 1e-4
    key = answer_text(Question(1, 0, variant, 0, ()))
    assert "e-0" not in key and key.count(r"\times 10^{-5}") == 3, key
    assert "e-0" not in to_latex(key) and r"\times 10^{-5}" in to_latex(key)
    mathml = to_html(key, inline=True)
    assert "e-0" not in mathml and "<msup><mn>10</mn><mrow><mo>&#x02212;</mo><mn>5</mn></mrow></msup>" in mathml
    feedback = question(variant, problem_id).findtext("answer/feedback/text")
    assert feedback.startswith("Correct: ") and "e-0" not in feedback and r"\times 10^{-5}" in feedback, feedback


def test_a_required_renderer_turns_its_skip_into_a_failure(monkeypatch) -> None:
    """GENGRADE_REQUIRE_RENDERERS=1 (CI): a test marked as needing a missing renderer runs, and fails."""
    import importlib

    monkeypatch.setenv("GENGRADE_REQUIRE_RENDERERS", "1")
    required = importlib.reload(renderer_marks)
    assert required.needs(False, "renderer").args[0] is False  # skipif(False): never skipped
    monkeypatch.delenv("GENGRADE_REQUIRE_RENDERERS")
    optional = importlib.reload(renderer_marks)
    assert optional.needs(False, "renderer").args[0] is True and optional.needs(True, "renderer").args[0] is False
