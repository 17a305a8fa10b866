"""check_answer() rule by rule on hand-built variants: NAT ranges, reading numbers, options
chosen by letter only, MSQ sets, formulas compared at points."""

from __future__ import annotations

import math
import re

import pytest

from grader.bank.answers import check_answer, equivalent
from grader.bank.mathtext import parse_math
from grader.bank.variants import Distractor, Option, Variant
from grader.errors import UsageError

NAT = Variant("n", "NAT", "t", "nat", 2, {}, "?", "!", answer=0.68, answer_exact="17/25", interval=(0.67, 0.69),
              distractors=(Distractor("doubled", "34/25", "Twice the key.", (1.34, 1.38)),
                           Distractor("halved", "17/50", "Half the key.", (0.335, 0.345)),
                           Distractor("unranged", "5", "No range.", None)))


def choice(kind: str, values: list[str], correct: set[int], named: dict[int, str]) -> Variant:
    options = tuple(Option(f"option {i}", i in correct, named.get(i), f"feedback {i}" if i in named else "", v)
                    for i, v in enumerate(values))
    key = ",".join("ABCD"[i] for i in sorted(correct))
    return Variant(kind, kind, "t", kind, 2, {}, "?", "!", options, answer_exact=key)


# B's value is gamma(5/2) ~ 1.3293, an author's expression; a typed value is refused, even the key's own
MCQ = choice("mcq", ["1/2", "gamma(5/2)", "10", "0"], {1}, {0: "m-a", 2: "m-c", 3: "m-d"})
MSQ = choice("msq", ["", "", "", ""], {0, 2}, {3: "m-d"})  # B is wrong but names no mistake
# key x*y written with an author-only function, a distractor with another
EXPR = Variant("f", "F", "t", "expr", 2, {}, "?", "!", answer_exact="gamma(3)*x*y/2", variables=("x", "y"),
               distractors=(Distractor("swapped", "binomial(2, 1)*x/(2*y)", "Divide, don't multiply."),))


def judged(variant: Variant, text: str) -> tuple[bool, str | None, str]:
    result = check_answer(variant, text)
    return result.correct, result.misconception, result.normalized


@pytest.mark.parametrize("text, right", [
    (repr(0.67), True), (repr(0.69), True), ("0.68", True), ("67%", True), ("69%", True),
    ("134/2%", True), ("138/2%", True), ("17/25", True), ("(1 + 0.36)/2", True),
    ("0.66999", False), ("0.69001", False), ("66.9%", False), ("-0.68", False), ("6.8%", False), ("132/2%", False),
])
def test_nat_range_includes_both_ends(text, right):
    assert check_answer(NAT, text).correct is right


@pytest.mark.parametrize("text, mistake", [
    (repr(1.34), "doubled"), (repr(1.38), "doubled"), ("136%", "doubled"), ("272/2%", "doubled"),
    (repr(0.335), "halved"), (repr(0.345), "halved"), ("1.339", None), ("1.381", None), ("5", None),
])
def test_nat_mistakes_match_inside_their_range_ends_included(text, mistake):
    assert judged(NAT, text)[:2] == (False, mistake)


def test_nat_messages_and_how_the_number_was_read():
    right = check_answer(NAT, "0.68")
    assert (right.normalized, right.message) == ("0.68", "0.68 lies in the accepted range [0.67, 0.69].")
    exact = check_answer(NAT, "log(2) - 1/100")
    assert exact.correct and exact.normalized == "-1/100 + log(2)"
    assert exact.message.startswith(f"-1/100 + log(2) = {math.log(2) - 0.01:.6g} lies in")
    wrong = check_answer(NAT, "0.5")
    assert (wrong.message, wrong.normalized) == ("0.5 is not accepted.", "0.5")
    assert check_answer(NAT, "-4/2").message == "-2 is not accepted."  # a whole number needs no value shown
    named = check_answer(NAT, "1.36")
    assert named.normalized == "1.36"
    assert named.message == "1.36 is not accepted. It matches a known mistake, doubled: Twice the key."


@pytest.mark.parametrize("text", ["1e999", "-1e999", "sqrt(-1)", "log(-1)", "1/0", "C", "0,68", ""])
def test_nat_unreadable_numbers_are_usage_errors(text):
    with pytest.raises(UsageError):
        check_answer(NAT, text)


@pytest.mark.parametrize("text", ["1e999", "sqrt(-1)", "-1e999%"])
def test_nat_infinite_or_complex_input_names_itself(text):
    with pytest.raises(UsageError, match=rf"'{re.escape(text)}' is not a finite real number"):
        check_answer(NAT, text)


@pytest.mark.parametrize("text, expected", [
    ("b", (True, None, "B")), ("(B)", (True, None, "B")), ("a", (False, "m-a", "A")), ("C", (False, "m-c", "C")),
    ("d", (False, "m-d", "D")),
])
def test_mcq_by_letter(text, expected):
    assert judged(MCQ, text) == expected


@pytest.mark.parametrize("variant, text", [(MCQ, "1.33"), (MCQ, "3*sqrt(pi)/4"), (MCQ, "10"), (MCQ, "0"),
                                           (MCQ, "10.5"), (MSQ, "1")])
def test_a_value_is_refused_even_an_options_own(variant, text):
    """The key's value typed for a choice question is not a choice (nor is a value near another option's)."""
    how = "a letter" if variant.type == "mcq" else "letters, e.g. A,C"
    with pytest.raises(UsageError, match=rf"^'{re.escape(text)}' is not an option letter; answer with {how} \(A-D\)"):
        check_answer(variant, text)


@pytest.mark.parametrize("variant, text, needle", [
    (MCQ, "A,C", r"'A,C'.* one option \(A-D\)"),
    (MCQ, "E", r"'E'.* options (are )?A-D"),
    (MSQ, "A,E", r"'A,E'.* options (are )?A-D"),
])
def test_letters_outside_the_options_are_usage_errors(variant, text, needle):
    with pytest.raises(UsageError, match=needle):
        check_answer(variant, text)


def test_msq_sets_and_their_feedback():
    assert judged(MSQ, "c, a") == (True, None, "A,C") and check_answer(MSQ, "A,C").message == "A,C is the key."
    every = check_answer(MSQ, "A,B,C,D")  # all four letters are readable, and wrong
    assert (every.correct, every.misconception, every.normalized) == (False, "m-d", "A,B,C,D")
    assert every.message == "A,B,C,D is not the key. D: feedback 3"
    missing = check_answer(MSQ, "A")
    assert missing.message == "A is not the key. Each option you chose is correct, but a correct option is missing."
    unnamed = check_answer(MSQ, "A,B,C")
    assert (unnamed.correct, unnamed.misconception, unnamed.message) == (False, None, "A,B,C is not the key.")


def test_mcq_wrong_option_message_joins_its_feedback():
    assert check_answer(MCQ, "C").message == "C is not the key. C: feedback 2"


@pytest.mark.parametrize("text, expected", [
    ("x*y", (True, None, "x*y")), ("y x", (True, None, "x*y")), ("sqrt(x^2)*y", (True, None, "y*Abs(x)")),
    ("x/y", (False, "swapped", "x/y")), ("x + y", (False, None, "x + y")),
    ("x", (False, None, "x")), ("2", (False, None, "2")),  # fewer variables than the key
])
def test_formulas_in_two_variables(text, expected):
    assert judged(EXPR, text) == expected


def test_formula_messages():
    assert check_answer(EXPR, "y*x").message == "x*y is equivalent to the key."
    assert check_answer(EXPR, "x/y").message == \
        "x/y is not equivalent to the key. It matches a known mistake, swapped: Divide, don't multiply."
    assert check_answer(EXPR, "x - y").message == "x - y is not equivalent to the key."
    with pytest.raises(UsageError, match=r"cannot read 'x\*z' as a formula in x, y: unknown name 'z'"):
        check_answer(EXPR, "x*z")


def formula(text: str):
    return parse_math(text, ["x", "y"])


@pytest.mark.parametrize("a, b, same", [
    ("1000*x*y", "1000*x*y*(1 + 5e-10)", True),  # relative agreement for large values
    ("1000*x*y", "1000*x*y*(1 + 2e-9)", False),
    ("x*y", "x*y + 5e-10", True),  # absolute agreement below 1
    ("x*y", "x*y + 1.5e-9", False),
    ("x*y", "x*y*(1 + 1e-7)", False),
    ("abs(x - 1)", "1 - x", True),  # compared inside (0, 1), where the bank's variables live
    ("abs(x - y)", "x - y", False),
])
def test_equivalent_agrees_to_1e_9(a, b, same):
    assert equivalent(formula(a), formula(b)) is same


def test_where_no_point_is_defined_simplify_decides():
    nowhere = formula("log(floor(x))")  # log(0) = -oo at every point of (0, 1)
    assert equivalent(nowhere, formula("log(floor(x))"))
    assert not equivalent(nowhere, formula("log(floor(x)) + 1"))


def test_a_formula_dividing_by_zero_everywhere_is_judged_not_crashed():
    assert not check_answer(EXPR, "1/floor(x)").correct
