"""Loading, validating and sampling bank files: errors name file, line and field; draws are reproducible."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from grader.bank.load import load_bank
from grader.bank.instance import sample
from grader.bank.validate import validate
from grader.errors import UsageError
from grader.bank.problem import BankInvalid

FAMILY = """
    topic: vae
    problems:
      - id: vae-kl-1d
        title: KL of a one-dimensional encoder
        type: nat
        marks: 2
        bloom: apply
        params:
          m: {choice: ["-1", "-1/2", "1/2", "1"]}
          s: {range: [-1, 1], step: "0.25"}
          n: {int: [2, 9]}
        derived:
          var: "exp(s)"
        constraints: ["var > 1/2"]
        answer: "n*(m**2 + var - 1 - s)/2"
        tolerance: {abs: 0.01}
        misconceptions:
          - {id: no-half, expr: "n*(m**2 + var - 1 - s)", feedback: "Twice the key: keep the 1/2."}
        stem: "{{ n }} identical dimensions with mean {{ m }} and log-variance {{ s }}: the KL?"
        solution: "n/2 (m^2 + e^s - 1 - s) = {{ answer | fmt(4) }}"
"""


def broken(family: str, old: str, new: str) -> str:
    assert old in family
    return family.replace(old, new)


def line_of(path, fragment: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if fragment in line)


def issues_of(path) -> list[str]:
    return [str(i) for i in validate(path).issues]


def test_a_valid_family_has_no_issues(write_yaml):
    assert issues_of(write_yaml(FAMILY)) == []


@pytest.mark.parametrize("old, new, marker, field, words", [
    ("        stem:", "        stme:", "stme:", "problems[0].stme", "did you mean 'stem'"),
    ("        tolerance: {abs: 0.01}\n", "", "- id: vae-kl-1d", "problems[0].tolerance", "missing"),
    ("n*(m**2 + var - 1 - s)/2", "n*(m**2 + sigma - 1 - s)/2", "answer:", "problems[0].answer", "'sigma'"),
    ('["var > 1/2"]', '["var > 10"]', "constraints:", "problems[0].constraints", "no draw"),
    ("n*(m**2 + var - 1 - s)\"", "n*(m**2 + var - 1 - s)/2 + 1/1000\"", "no-half", "problems[0].misconceptions[0].expr",
     "within the tolerance"),
    ("{{ n }} identical", "{{ k }} identical", "stem:", "problems[0].stem", "'k' is undefined"),
    ("marks: 2", "marks: 3", "marks:", "problems[0].marks", "1 or 2"),
    ('step: "0.25"', 'step: "0.3"', "s: {range", "problems[0].params.s.range", "grid"),
    ("type: nat", "type: numeric", "type:", "problems[0].type", "nat, mcq, msq, expr"),
])
def test_broken_entries_are_reported_with_file_line_and_field(write_yaml, old, new, marker, field, words):
    path = write_yaml(broken(FAMILY, old, new))
    found = issues_of(path)
    assert len(found) == 1, found
    assert found[0].startswith(f"{path}:{line_of(path, marker)}: {field}: ") and words in found[0], found[0]


MCQ = """
    topic: gan
    problems:
      - id: gan-value
        title: Value at the optimum
        type: mcq
        marks: 1
        options:
          - {text: "0", value: "0"}
          - {text: "-log 2", value: "-log(2)"}
          - {text: "-2 log 2", value: "-2*log(2)", correct: true}
        stem: What is V at p_g = p_data?
        solution: Two terms of log(1/2).
"""


def test_mcq_rules(write_yaml):
    two_right = write_yaml(broken(MCQ, '{text: "0", value: "0"}', '{text: "0", value: "0", correct: true}'))
    assert any("problems[0].options: an mcq has exactly one" in i and f":{line_of(two_right, 'options:')}:" in i
               for i in issues_of(two_right))
    same = write_yaml(broken(MCQ, 'value: "0"', 'value: "2*log(1/2)"'))
    assert [i.split(": ", 1)[1] for i in issues_of(same)] == [
        "problems[0].options[2].value: equals option A (-1.38629); options must differ (at the fixed instance)"]
    assert issues_of(write_yaml(MCQ)) == []


def test_duplicate_ids_across_files_and_duplicate_keys(write_yaml):
    write_yaml(FAMILY, "a.yaml")
    second = write_yaml(FAMILY, "b.yaml")
    found = issues_of(second.parent)
    assert len(found) == 1 and "b.yaml" in found[0] and "already used at" in found[0] and "a.yaml" in found[0]
    doubled = write_yaml(broken(FAMILY, "        bloom: apply\n", "        bloom: apply\n        bloom: apply\n"))
    assert any("problems[0].bloom: duplicate key" in i for i in issues_of(doubled))


def test_unreadable_yaml_is_a_usage_error_naming_the_line(write_yaml, gengrade):
    path = write_yaml(broken(FAMILY, "marks: 2", "marks: [2"))
    with pytest.raises(UsageError, match=rf"{path}:\d+: not readable YAML"):
        validate(path)
    result = gengrade("bank", "validate", str(path))
    assert result.exit_code == 2 and str(path) in result.output


def test_bank_validate_command_exit_codes(write_yaml, gengrade):
    good = gengrade("bank", "validate", str(write_yaml(FAMILY, "good.yaml")))
    assert good.exit_code == 0 and "1 problems in 1 file(s) checked: all valid" in good.output
    bad = gengrade("bank", "validate", str(write_yaml(broken(FAMILY, "stem:", "stme:"), "bad.yaml")))
    assert bad.exit_code == 1 and "bad.yaml:" in bad.output and "1 error(s)" in bad.output
    assert gengrade("bank", "validate", "no/such/folder").exit_code == 2


def test_bank_validate_json_names_each_error_by_file_and_line(write_yaml, gengrade):
    path = write_yaml(broken(FAMILY, "stem:", "stme:"), "bad.yaml")
    result = gengrade("bank", "validate", str(path), "--json")
    report = json.loads(result.output)
    assert result.exit_code == 1 and report["valid"] is False
    assert report["errors"] and all(e["file"].endswith("bad.yaml") and e["line"] >= 1 for e in report["errors"])
    good = gengrade("bank", "validate", str(write_yaml(FAMILY, "good.yaml")), "--json")
    assert good.exit_code == 0 and json.loads(good.output)["valid"] is True


def test_load_bank_refuses_an_invalid_bank(write_yaml):
    with pytest.raises(BankInvalid, match="gengrade bank validate"):
        load_bank(write_yaml(broken(FAMILY, "stem:", "stme:")))


def test_sampling_is_deterministic_and_respects_constraints(write_yaml):
    problem = load_bank(write_yaml(FAMILY)).problems["vae-kl-1d"]
    variants = [sample(problem, seed) for seed in range(40)]
    assert all(sample(problem, seed) == variants[seed] for seed in (0, 7, 39))
    assert len({tuple(v.params.items()) for v in variants}) > 20
    for v in variants:
        assert float(v.params["s"]) > -0.6931  # var = e^s > 1/2
        assert v.params["s"] in {"-0.5", "-0.25", "0", "0.25", "0.5", "0.75", "1"}
        lo, hi = v.interval
        assert hi - lo == pytest.approx(0.02) and lo < v.answer < hi and v.seed is not None


def test_sampling_is_the_same_in_a_fresh_process(write_yaml):
    path = write_yaml(FAMILY)
    here = sample(load_bank(path).problems["vae-kl-1d"], 12345)
    code = textwrap.dedent(f"""
        from grader.bank.load import load_bank
        from grader.bank.instance import sample
        v = sample(load_bank({str(path)!r}).problems["vae-kl-1d"], 12345)
        print(repr((v.params, v.answer_exact, v.stem)))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "123", "PATH": ""}).stdout
    assert out.strip() == repr((here.params, here.answer_exact, here.stem))


def test_fixed_problems_ignore_the_seed(seed_bank):
    problem = seed_bank.problems["we2"]
    assert problem.fixed and sample(problem, 1) == sample(problem, 2) and sample(problem, 3).seed is None


def test_topics_and_select(seed_bank):
    assert seed_bank.topics() == {"diffusion": 8, "gan": 8, "vae": 7}
    assert {p.id for p in seed_bank.select(topics=["vae"])} == {"gate-q2", "we2", "b4a", "b4b", "b4c", "b7a", "b7b"}
    assert [p.id for p in seed_bank.select(ids=["b7a", "we2"])] == ["b7a", "we2"]
    with pytest.raises(UsageError, match="did you mean diffusion"):
        seed_bank.select(topics=["difusion"])


def family_answers(family: str) -> list[int]:
    """Every satisfying combination's key in hundredths (abs 0.01: what a student writes), by brute force
    over m x s in [-1, 1] step 1/4 x n with e^s > 1/2 (n's range read from the family's text)."""
    import itertools
    import math
    import re

    lo, hi = map(int, re.search(r"n: \{int: \[(\d+), (\d+)\]\}", family).groups())
    grid = itertools.product((-1, -0.5, 0.5, 1), [-1 + k / 4 for k in range(9)], range(lo, hi + 1))
    return [round(n * (m**2 + math.exp(s) - 1 - s) / 2 * 100) for m, s, n in grid if math.exp(s) > 0.5]


def test_validate_counts_distinct_answers_not_parameter_combinations(write_yaml):
    """A grid of 4 x 9 x 3 = 108 combinations is swept whole, so answers and P(same) are exact."""
    from collections import Counter

    small = broken(FAMILY, 'n: {int: [2, 9]}', 'n: {int: [2, 4]}')
    keys = Counter(family_answers(small))
    found = validate(write_yaml(small)).variety["vae-kl-1d"]
    total = sum(keys.values())
    assert found.exact and found.draws == total < 108 and found.answers == len(keys) < total  # ties exist
    assert found.share == pytest.approx(sum(c * c for c in keys.values()) / total**2, rel=1e-12)


def test_on_a_larger_grid_the_share_is_estimated_from_the_draws(write_yaml):
    from collections import Counter

    keys = Counter(family_answers(FAMILY))
    exact = sum(c * c for c in keys.values()) / sum(keys.values()) ** 2
    report = validate(write_yaml(FAMILY))
    found = report.variety["vae-kl-1d"]
    assert not found.exact and found.draws == 120 and found.answers <= len(keys)
    assert abs(found.share - exact) < 0.01 and found.share < 0.05 and report.warnings == []


def test_a_repetitive_family_warns_without_failing(write_yaml, gengrade):
    small = broken(FAMILY, 'n: {int: [2, 9]}', 'n: {int: [2, 2]}')
    small = broken(small, 'm: {choice: ["-1", "-1/2", "1/2", "1"]}', 'm: {choice: ["1"]}')
    path = write_yaml(small)
    report = validate(path)
    found = report.variety["vae-kl-1d"]  # 7 combinations (m = 1, n = 2), two of them alike at 2 decimals: 6 answers
    assert report.issues == [] and (found.answers, found.share) == (6, pytest.approx(9 / 49))
    assert [w.field for w in report.warnings] == ["problems[0].params"]
    assert "vae-kl-1d: two draws give the same answer with probability 0.18 (6 distinct" in report.warnings[0].message
    result = gengrade("bank", "validate", str(path))
    assert result.exit_code == 0 and "warning:" in result.output and "0.184       6  vae-kl-1d" in result.output


def test_written_answers_round_to_the_tolerance():
    from grader.bank.variety import shown, written

    assert written(0.6834, 0.6734, 0.6934) == (68, -2) and shown((68, -2)) == "0.68"
    assert written(0.07800, 0.0778, 0.0782) == (780, -4)  # abs 0.0002: four decimals
    assert written(3.93e-5, 3.93e-5 * 0.98, 3.93e-5 * 1.02) == (39, -6)  # 2% of 3.9e-5: 1e-6
    assert written(259, 258, 260) == (259, 0) and shown((259, 0)) == "259"


GROUPS = """
    groups:
      - id: pair
        why: two parts of one exercise
        problems: [vae-kl-1d, vae-kl-2d]
"""


def test_groups_name_unknown_problems_by_file_and_line(write_yaml):
    write_yaml(FAMILY, "a.yaml")
    path = write_yaml(GROUPS, "groups.yaml")
    (found,) = issues_of(path.parent)
    assert found == (f"{path}:{line_of(path, 'problems:')}: groups[0].problems[1]: unknown problem id 'vae-kl-2d'; "
                     "did you mean vae-kl-1d?")
    write_yaml(broken(FAMILY, "id: vae-kl-1d", "id: vae-kl-2d"), "b.yaml")
    assert issues_of(path.parent) == []
    bank = load_bank(path.parent)
    assert bank.related("vae-kl-1d") == {"vae-kl-2d"} and bank.related("vae-kl-2d") == {"vae-kl-1d"}
    assert bank.related("unrelated") == frozenset()


@pytest.mark.parametrize("members, words", [("[vae-kl-1d]", "two or more different"),
                                            ("[vae-kl-1d, vae-kl-1d]", "two or more different"),
                                            ("[vae-kl-1d, 3]", "list of problem ids")])
def test_a_group_needs_two_different_members(write_yaml, members, words):
    write_yaml(FAMILY, "a.yaml")
    path = write_yaml(GROUPS.replace("[vae-kl-1d, vae-kl-2d]", members), "groups.yaml")
    (found,) = issues_of(path.parent)
    assert found.startswith(f"{path}:{line_of(path, 'problems:')}: groups[0].problems: ") and words in found


def test_the_bank_keeps_exercise_parts_and_equivalent_problems_apart():
    bank = load_bank()
    for first, second in [("b7a", "b7b"), ("b4a", "b4c"), ("we3a", "we3c"), ("b5a", "b5d"), ("b2a", "b2c"),
                          ("we1", "we1b"), ("we3a", "b5a"), ("we3c", "b5b"), ("b4b", "b4c"),
                          ("b4b", "vae-kl-two-gauss"), ("b4c", "vae-kl-two-gauss"), ("we1", "gan-dstar-expr")]:
        assert second in bank.related(first) and first in bank.related(second)
    assert "b5b" not in bank.related("we3a")
