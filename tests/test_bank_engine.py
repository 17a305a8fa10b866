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


def test_validate_counts_each_familys_distinct_instances(write_yaml, gengrade):
    """The grid of FAMILY, counted here by brute force: m (4) x s in [-1, 1] step 1/4 x n (8), with e^s > 1/2."""
    import itertools
    import math

    grid = itertools.product((-1, -0.5, 0.5, 1), [-1 + k / 4 for k in range(9)], range(2, 10))
    expected = sum(math.exp(s) > 0.5 for _, s, _ in grid)
    report = validate(write_yaml(FAMILY))
    found = report.variety["vae-kl-1d"]
    assert (found.count, found.exact, found.grid) == (expected, True, 4 * 9 * 8) and report.warnings == []


def test_too_few_instances_warn_without_failing(write_yaml, gengrade):
    small = broken(FAMILY, 'n: {int: [2, 9]}', 'n: {int: [2, 2]}')
    small = broken(small, 'm: {choice: ["-1", "-1/2", "1/2", "1"]}', 'm: {choice: ["1"]}')
    path = write_yaml(small)
    report = validate(path)
    assert report.issues == [] and report.variety["vae-kl-1d"].count == 7
    assert [w.field for w in report.warnings] == ["problems[0].params"] and "vae-kl-1d has 7" in report.warnings[0].message
    result = gengrade("bank", "validate", str(path))
    assert result.exit_code == 0 and "warning:" in result.output and "7  vae-kl-1d" in result.output
