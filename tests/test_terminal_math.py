"""Maths in `answer` and `practice` output reads as Unicode, not LaTeX source."""

import re

import pytest
from click.testing import CliRunner

from grader.bank.load import load_bank
from grader.bank.instance import sample
from grader.cli import main
from grader.bank.terminal_math import to_terminal


@pytest.mark.parametrize("latex, shown", [
    (r"$\tfrac12 \sigma^2$", "1/2 σ^2"),
    (r"$\dfrac{a}{b}$", "a/b"),
    (r"$\mathrm{KL}(q \,\|\, p)$", "KL(q ‖ p)"),
    (r"$\sqrt{\bar\alpha_t}$", "√(α̅_t)"),
    (r"$256\times256$", "256×256"),
    (r"$\frac{1}{2} + \frac{1}{2 e}$", "1/2 + 1/(2 e)"),
    (r"$\frac{a+b}{c}$", "(a+b)/c"),
])
def test_maths_becomes_unicode(latex, shown):
    assert re.sub(r"\s+", " ", to_terminal(latex)) == shown


def test_prose_is_left_alone():
    assert to_terminal("22.4% of the signal, 50% of $x$") == "22.4% of the signal, 50% of x"


def test_no_latex_survives_anywhere_in_the_bank():
    for problem in load_bank().problems.values():
        variant = sample(problem, 1)
        for text in [variant.stem, variant.solution, *(o.text for o in variant.options)]:
            leftover = re.findall(r"\$|\\[A-Za-z|]+", to_terminal(text))
            assert not leftover, f"{problem.id}: {leftover} left in {to_terminal(text)!r}"


def test_answer_prints_readable_maths():
    output = CliRunner().invoke(main, ["answer", "vae-kl-diag", "0.68", "--seed", "3"]).output
    assert "μ" in output and "‖" in output and "$" not in output and "\\mathcal" not in output
