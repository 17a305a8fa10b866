"""Reading and judging students' answers: numbers, letters, letter sets, formulas; safe parsing."""

from __future__ import annotations

import json
import time
from fractions import Fraction

import pytest

from grader.bank.answers import check_answer
from grader.bank.reading import read_letters
from grader.bank.load import load_bank
from grader.bank.instance import sample
from grader.errors import UsageError
from grader.bank.mathtext import MAX_CHARS, MathSyntaxError, parse_math

MSQ = """
    topic: diffusion
    problems:
      - id: msq-forward
        title: Facts about the forward process
        type: msq
        marks: 2
        options:
          - {text: "It has no learned parameters.", correct: true}
          - {text: "It needs the decoder.", misconception: forward-needs-model, feedback: "q(x_t|x_0) is fixed."}
          - {text: "x_t can be sampled from x_0 in one step.", correct: true}
          - {text: "It removes noise.", misconception: direction, feedback: "The forward process adds noise."}
        stem: Which statements about the DDPM forward process are true?
        solution: A and C.
"""


@pytest.fixture
def variant(seed_bank):
    return lambda problem_id: sample(seed_bank.problems[problem_id], None)


@pytest.fixture
def msq(write_yaml):
    return sample(load_bank(write_yaml(MSQ)).problems["msq-forward"], None)


@pytest.mark.parametrize("text", ["2.75", "2.7526", "13/8 + cosh(1/2)", "(exp(1/2) + exp(-1/2))/2 + 1.625", " 2.76 "])
def test_nat_accepts_the_key_in_any_exact_or_rounded_form(variant, text):
    assert check_answer(variant("we2"), text).correct


@pytest.mark.parametrize("text, mistake", [("2.74", None), ("5.51", "no-half"), ("3.17", "logvar-as-logstd"),
                                           ("2.05", "reversed-kl"), ("4.25", "dropped-constant")])
def test_nat_wrong_values_name_their_mistake(variant, text, mistake):
    result = check_answer(variant("we2"), text)
    assert (result.correct, result.misconception) == (False, mistake)
    assert (mistake is None) or "factor 1/2" in result.message or mistake in result.message


def test_nat_tiny_key_uses_a_relative_range(variant):
    we3c = variant("we3c")
    assert check_answer(we3c, "0.00004").correct and check_answer(we3c, "4.00e-5").correct
    assert check_answer(we3c, "0.0000428").misconception == "exp-approximation"
    # b5b's key (the other schedule convention) is named, not accepted, and the reverse
    assert check_answer(we3c, "4.04e-5").misconception == "other-schedule-convention"
    assert check_answer(variant("b5b"), "4.00e-5").misconception == "other-schedule-convention"
    assert check_answer(variant("b5b"), "4.04 × 10^(-5)").correct


@pytest.mark.parametrize("text", ["C", "c", " C ", "(C)"])
def test_mcq_accepts_the_letter(variant, text):
    assert check_answer(variant("gate-q1"), text).correct


@pytest.mark.parametrize("problem_id, text", [("gate-q1", "-2*log(2)"), ("gate-q1", "-1.39"), ("gate-q1", "2*log(1/2)"),
                                              ("gate-q3", "22.4%"), ("gate-q3", "sqrt(0.05)"), ("gate-q3", "0.2236"),
                                              ("gate-q3", "0.7")])
def test_choice_questions_refuse_a_value_for_an_option(variant, problem_id, text):
    """A number that is (or is near) an option's value is not a choice: 0.7 is not the option 0.706."""
    with pytest.raises(UsageError, match=r"is not an option letter; answer with a letter \(A-D\)"):
        check_answer(variant(problem_id), text)


def test_msq_refuses_a_value_and_asks_for_letters(msq):
    with pytest.raises(UsageError, match="answer with letters, e.g. A,C"):
        check_answer(msq, "0.5")


@pytest.mark.parametrize("text, mistake", [("A", "zero-at-equilibrium"), ("b", "one-expectation-only"),
                                           ("d", "log-half-sign")])
def test_mcq_wrong_option_gives_its_feedback(variant, text, mistake):
    result = check_answer(variant("gate-q1"), text)
    assert (result.correct, result.misconception) == (False, mistake)


@pytest.mark.parametrize("text", ["A,C", "AC", "{a, c}", "c, a", "A and C", "[A;C]"])
def test_msq_letter_sets(msq, text):
    result = check_answer(msq, text)
    assert result.correct and result.normalized == "A,C"


def test_msq_partial_and_wrong_sets(msq):
    partial = check_answer(msq, "A")
    assert not partial.correct and "missing" in partial.message
    wrong = check_answer(msq, "A,B,C")
    assert (wrong.correct, wrong.misconception) == (False, "forward-needs-model")


@pytest.mark.parametrize("text", ["2*x/(2*x+1)", "1 - 1/(2*x+1)", "2x/(2x+1)", "1/(1 + 1/(2*x))", "(4*x)/(4*x + 2)"])
def test_expr_accepts_equivalent_formulas(variant, text):
    assert check_answer(variant("we1"), text).correct


@pytest.mark.parametrize("text, mistake", [("1/(2*x+1)", "inverted-ratio"), ("2*x", "ratio-without-sum"),
                                           ("x/(x+1)", "dropped-normaliser"), ("x/(2*x+1)", None)])
def test_expr_wrong_formulas(variant, text, mistake):
    result = check_answer(variant("we1"), text)
    assert (result.correct, result.misconception) == (False, mistake)


@pytest.mark.parametrize("problem_id, text", [
    ("we2", "C"), ("we2", "0,5"), ("we2", "sqrt(-1)"), ("we2", "1/0"), ("we2", ""),
    ("gate-q1", "E"), ("gate-q1", "A,C"), ("gate-q1", "0.3"), ("we1", "2*y"), ("we1", "x.real"),
])
def test_unreadable_answers_are_usage_errors(variant, problem_id, text):
    with pytest.raises(UsageError):
        check_answer(variant(problem_id), text)


@pytest.mark.parametrize("text", [
    "__import__('os')", "x.__class__", "().__class__.__bases__", "exp.__globals__", "open('f')",
    "lambda: 1", "'x'", "[x]", "{x}", "x if x else x", "x; x", "0x10", "1j", "x == x",
])
def test_parser_refuses_anything_but_arithmetic(text):
    with pytest.raises(MathSyntaxError):
        parse_math(text, ["x"])


def test_parser_refuses_long_input_and_huge_numbers_quickly():
    start = time.perf_counter()
    for text in ["1+" * (MAX_CHARS // 2) + "1", "9**9**9**9", "9^9^9", "((10**100)**100)**100", "exp(exp(exp(9)))"]:
        with pytest.raises(MathSyntaxError):
            parse_math(text, ["x"])
    assert time.perf_counter() - start < 2


def test_read_letters_leaves_non_letters_to_the_number_reader():
    assert read_letters("log(2)", 4) is None and read_letters("-1", 4) is None
    assert read_letters("b", 4) == {"B"}


def test_cli_answer_right_wrong_and_json(gengrade):
    right = gengrade("answer", "we2", "2.75")
    assert right.exit_code == 0 and "Right." in right.output and "Worked solution" in right.output
    wrong = gengrade("answer", "we2", "5.51")
    assert wrong.exit_code == 1 and "no-half" in wrong.output and "Worked solution" not in wrong.output
    negative = gengrade("answer", "gate-q1", "C", "--json")
    record = json.loads(negative.output)
    assert negative.exit_code == 0 and record["correct"] and record["key"] == "C" and record["seed"] is None
    missed = json.loads(gengrade("answer", "gate-q1", "b", "--json").output)
    assert not missed["correct"] and "key" not in missed and missed["misconception"] == "one-expectation-only"


def test_cli_answer_usage_errors(gengrade):
    unknown = gengrade("answer", "we22", "1")
    assert unknown.exit_code == 2 and "we22" in unknown.output and "we2" in unknown.output
    unreadable = gengrade("answer", "we2", "__import__('os')")
    assert unreadable.exit_code == 2 and "__import__" in unreadable.output


PARAMETERIZED = """
    topic: vae
    problems:
      - id: vae-kl-mean
        title: KL of a shifted unit Gaussian
        type: nat
        marks: 1
        params:
          m: {range: [-2, 2], step: "1/2"}
        constraints: ["m**2 > 1/10"]
        answer: "m**2/2"
        tolerance: {abs: 0.01}
        misconceptions:
          - {id: no-half, expr: "m**2", feedback: "Keep the 1/2."}
        stem: "KL(N({{ m }}, 1) || N(0, 1))?"
        solution: "m^2/2 = {{ answer | fmt(3) }}"
"""


def test_cli_answer_to_a_parameterized_problem_needs_the_seed(gengrade, write_yaml):
    path = write_yaml(PARAMETERIZED)
    variant = sample(load_bank(path).problems["vae-kl-mean"], 5)
    m = float(Fraction(variant.params["m"]))
    right = gengrade("answer", "vae-kl-mean", repr(m * m / 2), "--seed", "5", bank=path)
    assert right.exit_code == 0 and variant.stem in right.output and "seed 5" in right.output
    wrong = gengrade("answer", "vae-kl-mean", repr(m * m), "--seed", "5", "--json", bank=path)
    assert wrong.exit_code == 1 and json.loads(wrong.output)["misconception"] == "no-half"
    unseeded = gengrade("answer", "vae-kl-mean", "1", bank=path)
    assert unseeded.exit_code == 2 and "--seed" in unseeded.output


@pytest.mark.parametrize("text, words", [
    ("2.3.1", "'2.3.1' is not a number"), ("1.2e3.4", "is not a number"), ("2 3", "two numbers in a row"),
    ("(1+2", "a bracket is not closed; add ')'"), ("sqrt((2)", "a bracket is not closed"),
    ("1+2)", "a ')' closes a bracket that was never opened"), ("2**", "it ends with '**'"),
    ("*3", "it starts with '*'"), ("1,5", "write decimals with a point"),
    ("[1", "'[' is not allowed here: group with round brackets"), ("{1", "'{' is not allowed here"),
    ("1]", "']' is not allowed here"), ("(1}", "'}' is not allowed here"),
])
def test_malformed_numbers_are_named_in_plain_words(variant, text, words):
    with pytest.raises(UsageError) as caught:
        check_answer(variant("we2"), text)
    message = str(caught.value)
    assert message.startswith(f"cannot read {text!r} as a number") and words in message
    assert "EOF" not in message and "SyntaxError" not in message


@pytest.mark.parametrize("text, value", [
    ("sech(1)", 1 / 1.5430806348152437), ("csch(1)", 1 / 1.1752011936438014), ("coth(1)", 1.3130352854993312),
    ("asinh(1)", 0.881373587019543), ("acosh(2)", 1.3169578969248166), ("atanh(1/2)", 0.5493061443340549),
    ("sec(0)", 1.0), ("cot(pi/4)", 1.0), ("arctan(1)", 0.7853981633974483), ("log(8, 2)", 3.0),
    ("log10(1000)", 3.0), ("log2(8)", 3.0), ("ln(e^2)", 2.0), ("log(e)", 1.0), ("asec(2)", 1.0471975511965979),
    ("acsc(2)", 0.5235987755982989), ("acot(1)", 0.7853981633974483), ("asech(1/2)", 1.3169578969248166),
    ("acsch(1)", 0.881373587019543), ("acoth(2)", 0.5493061443340549),
])
def test_the_usual_functions_parse(text, value):
    assert float(parse_math(text)) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("text, echoed", [("0.5", "0.5 is not accepted"), ("8%", "8% = 0.08 is not accepted"),
                                          ("1/2", "1/2 = 0.5 is not accepted"), ("sech(0)", "1 is not accepted")])
def test_numbers_are_echoed_as_typed(variant, text, echoed):
    assert check_answer(variant("we2"), text).message.startswith(echoed)


def test_formulas_are_echoed_without_padding_digits(variant):
    result = check_answer(variant("we1"), "0.5 + x")
    assert result.normalized == "x + 0.5" and "0.500000" not in result.message
