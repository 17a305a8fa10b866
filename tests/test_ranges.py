"""NAT ranges hold only what the question allows: a declared domain cuts or refuses them, an
integer key is exact, and the rounding a stem asks for fits the range (grader/bank/ranges.py)."""

from __future__ import annotations

import pytest

from grader.bank.instance import sample
from grader.bank.load import load_bank
from grader.bank.ranges import clip, domain_faults, precision_faults
from grader.bank.validate import validate

# alpha-bar of a cosine schedule on a grid that reaches a key of 0.0061 (t = 19T/20), asked to two decimals
COSINE = """
    topic: diffusion
    problems:
      - id: cosine
        title: Cosine schedule
        type: nat
        marks: 1
        params: {k: {int: [1, 19]}}
        derived: {ab: "cos((k/20 + 1/125)/(1 + 1/125)*pi/2)**2/cos((1/125)/(1 + 1/125)*pi/2)**2"}
        answer: "ab"
        tolerance: {abs: 0.01}
        domain: [positive, probability]
        stem: "Compute alpha-bar at t = {{ k }}T/20{{ answer | to_decimals(2) }}."
        solution: "{{ answer | fmt(4) }}"
"""


def issues(write_yaml, text: str) -> list[str]:
    return [f"{i.field}: {i.message}" for i in validate(write_yaml(text)).issues]


def test_a_range_reaching_zero_for_a_positive_key_is_refused(write_yaml):
    found = issues(write_yaml, COSINE)
    assert len(found) == 1 and found[0].startswith("problems[0].domain: the range [0, 0.0160596] reaches 0, "
                                                   "which a positive key rules out"), found
    assert "k=19" in found[0]
    # what the bank's own family does instead: significant figures and a relative tolerance
    fixed = COSINE.replace("{abs: 0.01}", "{rel: 0.005}").replace("{{ answer | to_decimals(2) }}", " to 3 significant figures")
    assert issues(write_yaml, fixed) == []


def test_without_a_domain_nothing_is_ruled_out(write_yaml):
    assert issues(write_yaml, COSINE.replace("        domain: [positive, probability]\n", "")) == []


def test_a_probability_range_stops_at_its_ends(write_yaml):
    """Closed ends are cut: keys of 0.9983 and 0 accept [0.9883, 1] and [0, 0.01], nothing beyond."""
    text = COSINE.replace("cos((k/20", "1 - (k - 1)/1000 + 0*cos((k/20").replace("positive, ", "")
    bank = load_bank(write_yaml(text))
    problem = bank.problems["cosine"]
    top = next(v for v in (sample(problem, s) for s in range(200)) if v.params["k"] == "1")
    assert top.interval == (pytest.approx(0.99), 1.0)
    assert clip((-0.01, 0.01), ("probability",)) == (0.0, 0.01)
    assert clip((-0.01, 0.01), ("positive",)) == (-0.01, 0.01)  # an open end is for validate to refuse
    assert issues(write_yaml, text) == []


def test_an_integer_key_accepts_no_neighbour(write_yaml):
    text = COSINE.replace('answer: "ab"', 'answer: "k"').replace("[positive, probability]", "integer")
    assert issues(write_yaml, text) == []  # +-0.01 around a whole number holds no other
    wide = issues(write_yaml, text.replace("{abs: 0.01}", "{abs: 1}"))
    assert len(wide) == 1 and "must hold one whole number (domain: integer)" in wide[0], wide
    b5c = sample(load_bank().problems["b5c"], None)
    assert b5c.interval == (259.0, 259.0)  # the step closest to SNR 1: 258 and 260 are wrong


def test_domain_faults_by_hand():
    assert domain_faults(0.5, (0.49, 0.51), ("positive", "probability")) == []
    assert domain_faults(0.005, (-0.005, 0.015), ("nonnegative",)) == []  # a closed end is cut, not refused
    assert "outside its domain (probability)" in domain_faults(1.5, (1.4, 1.6), ("probability",))[0]
    assert "reaches 0" in domain_faults(-1.0, (-1.1, 0.0), ("negative",))[0]
    assert domain_faults(3.0, (2.5, 3.5), ("integer",)) == []
    assert "one whole number" in domain_faults(3.5, (3.4, 3.6), ("integer",))[0]


def test_unknown_and_misplaced_domains_are_schema_errors(write_yaml):
    found = issues(write_yaml, COSINE.replace("[positive, probability]", "[postive]"))
    assert found == ["problems[0].domain: 'postive' is not a domain; did you mean 'positive'?"]
    mcq = COSINE.replace("type: nat", "type: mcq").replace('answer: "ab"', 'options: [{text: a, correct: true}, '
                                                                           '{text: b}]').replace("        tolerance: {abs: 0.01}\n", "")
    assert "problems[0].domain: a mcq problem has no `domain`; remove it" in issues(write_yaml, mcq)


@pytest.mark.parametrize("stem, key, interval, fault", [
    # we3c as it was: 6 decimals step by 2.5% of the key, coarser than its 2% tolerance
    ("Compute it, rounded to 6 decimal places.", 3.9956e-5, (3.9157e-5, 4.0755e-5), "coarser than the tolerance"),
    ("Compute it to 3 significant figures.", 3.9956e-5, (3.9796e-5, 4.0116e-5), None),
    ("Compute it, to two decimals.", 0.6831, (0.6731, 0.6931), None),  # the bank's usual ask
    ("Compute it, rounded to 4 decimal places.", 0.9999, (0.99985, 0.99995), None),  # a key on the grid
    ("Compute it, to two decimals.", 0.6849, (0.6800, 0.6898), "coarser than the tolerance"),  # 0.6897 -> 0.69
    ("Compute it, to two decimals.", 0.995, (0.985, 1.0), None),  # cut at 1: the tolerance is the other side
    ("Compute it, to one decimals.", 0.6831, (0.675, 0.6912), "outside the range"),  # 0.7 is refused
    ("At which step?", 259.0, (259.0, 259.0), None),
])
def test_the_asked_rounding_fits_the_range(stem, key, interval, fault):
    found = precision_faults(stem, key, interval)
    assert (found == []) if fault is None else (len(found) == 1 and fault in found[0]), found


def test_the_bank_validates_with_its_domains_and_roundings():
    """The families and chapter problems that declare a domain keep to it on every sampled draw."""
    bank = load_bank()
    declared = {pid for pid, p in bank.problems.items() if p.domain}
    assert {"ddpm-alpha-bar-cosine", "b5c", "we3c", "b5b", "gan-grad-logit", "b4a", "we1a"} <= declared
    cosine = sample(bank.problems["ddpm-alpha-bar-cosine"], None)
    assert cosine.interval[0] > 0 and "three significant figures" in cosine.stem
    assert sample(bank.problems["we1a"], None).interval == (0.0, 0.01)
