"""The template helpers of grader/bank/typeset.py, case by case: signs merge, zero terms and unit
factors vanish, exact values print without padding."""

from __future__ import annotations

import pytest
import sympy as sp

from grader.bank.render import Exact
from grader.bank.typeset import approx, base, coefficient, exp, factor, lead, lin, minus, plus, power, root, to_decimals

HALF, MINUS_ONE = Exact("1/2", sp.Rational(1, 2)), Exact("-1", sp.Integer(-1))
R = sp.Rational


@pytest.mark.parametrize("call, text", [
    (lambda: plus(R(2)), "+ 2"), (lambda: plus(R(-2)), "- 2"), (lambda: plus(R(0)), ""),
    (lambda: minus(R(2)), "- 2"), (lambda: minus(R(-2)), "+ 2"), (lambda: minus(R(0)), ""),
    (lambda: plus(R(-1, 2), 2, "0.94 \\times "), "- 0.94 \\times 0.5"), (lambda: plus(R(1, 3), 2), "+ 0.33"),
    (lambda: plus(MINUS_ONE, times="\\sqrt{3}\\,"), "- \\sqrt{3}"),  # a unit value leaves the factor alone
    (lambda: minus(R(1), times="e^{2} \\cdot "), "- e^{2}"),
    (lambda: plus(R(3), times="1 \\cdot "), "+ 3"),  # a factor that prints as 1 is left out
    (lambda: plus(R(1), times="1 \\cdot "), "+ 1"),
    (lambda: lead(R(-3), times="2\\,"), "-2\\,3"), (lambda: lead(R(-1), times="2\\,"), "-2"),
    (lambda: lead(HALF), "\\frac{1}{2}"), (lambda: lead(Exact("0.5", R(1, 2))), "0.5"), (lambda: lead(R(0)), "0"),
])
def test_signed_terms(call, text):
    assert call() == text


@pytest.mark.parametrize("x, text", [(R(0), "1"), (R(1), "e"), (R(-1, 2), "e^{-\\frac{1}{2}}"), (HALF, "e^{\\frac{1}{2}}"),
                                     (Exact("0.5", R(1, 2)), "e^{0.5}")])
def test_exp(x, text):
    assert exp(x) == text


@pytest.mark.parametrize("x, args, text", [(R(1), (), ""), (R(-1), (), "-"), (R(2), (), "2 \\times "),
                                           (R(3), (0, "\\,"), "3\\,"), (R(1, 3), (2,), "0.33 \\times ")])
def test_coefficient(x, args, text):
    assert coefficient(x, *args) == text


def test_root_is_exact():
    assert root(R(4)) == 2 and root(R(1, 4)) == R(1, 2) and root(R(2)) == sp.sqrt(2) and root(HALF) == sp.sqrt(R(1, 2))


@pytest.mark.parametrize("call, text", [
    (lambda: approx(R(1, 2), 4), "0.5"), (lambda: approx(R(2), 2), "2"), (lambda: approx(R(-9, 4), 4, 2), "-2.25"),
    (lambda: approx(R(1, 3), 4), "0.3333"), (lambda: approx(R(1, 3), 4, 2), "0.3333 \\approx 0.33"),
    (lambda: approx(R(0), 2), "0"),
    (lambda: to_decimals(R(3)), ""), (lambda: to_decimals(R(1, 3)), ", to two decimals"),
    (lambda: to_decimals(R(1, 3), 4), ", to four decimals"),
    (lambda: base(R(-2)), "(-2)"), (lambda: base(Exact("0.5", R(1, 2))), "0.5"), (lambda: base(R(1, 2)), "(\\frac{1}{2})"),
    (lambda: base(R(3)), "3"), (lambda: factor(R(-2)), "(-2)"), (lambda: factor(R(2)), "2"),
    (lambda: lin((1, "x"), (-2, "y"), ("0.3", "")), "x - 2\\,y + 0.3"), (lambda: lin((0, "x"), (0, "")), "0"),
    (lambda: lin((-1, "x"), (R(1, 2), "")), "-x + \\frac{1}{2}"), (lambda: power("x", 0), ""),
    (lambda: power("x", 1), "x"), (lambda: power("x", 3), "x^{3}"),
])
def test_printed_values(call, text):
    assert call() == text
