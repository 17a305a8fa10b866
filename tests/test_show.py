"""`gengrade show`: one problem without answering it, its worked solution on request, the ids per topic."""

from __future__ import annotations

import json
import re

from grader.bank.load import load_bank


def test_show_prints_the_problem_and_how_to_answer_it(gengrade):
    result = gengrade("show", "gate-q1")
    assert result.exit_code == 0
    assert "gate-q1: " in result.output and "(C) " in result.output and "Worked solution" not in result.output
    assert "Answer with: gengrade answer gate-q1 VALUE   (VALUE: one letter)" in result.output


def test_show_solution_prints_the_key_and_worked_solution(gengrade):
    result = gengrade("show", "we2", "--solution")
    assert result.exit_code == 0 and "Key: " in result.output and "Worked solution" in result.output


def test_a_parameterized_problem_without_seed_gets_one_printed(gengrade):
    bank = load_bank().root
    result = gengrade("show", "vae-kl-diag", bank=bank)
    seed = re.search(r"seed (\d+)\)", result.output).group(1)
    assert result.exit_code == 0 and f"gengrade answer vae-kl-diag VALUE --seed {seed}" in result.output
    again = gengrade("show", "vae-kl-diag", "--seed", seed, bank=bank)
    assert again.output == result.output


def test_list_gives_the_ids_of_a_topic(gengrade, seed_bank):
    result = gengrade("show", "--list", "gan")
    assert result.exit_code == 0 and result.output.startswith("gan (")
    assert {"gate-q1", "we1", "b2a"} <= set(re.findall(r"^  ([a-z0-9-]+) ", result.output, re.M))
    assert "gate-q2" not in result.output  # a vae question
    every = json.loads(gengrade("show", "--list", "--json").output)
    assert [p["id"] for p in every] == list(seed_bank.problems)


def test_show_usage_errors(gengrade):
    topic = gengrade("show", "gan")
    assert topic.exit_code == 2 and "gengrade show --list gan" in topic.output
    nothing = gengrade("show")
    assert nothing.exit_code == 2 and "--list" in nothing.output
    unknown = gengrade("show", "gate-q9")
    assert unknown.exit_code == 2 and "gate-q1" in unknown.output
    wrong_topic = gengrade("show", "--list", "gann")
    assert wrong_topic.exit_code == 2 and "did you mean gan" in wrong_topic.output


def test_answer_without_a_value_says_how(gengrade):
    result = gengrade("answer", "gate-q1")
    assert result.exit_code == 2
    assert "gengrade answer gate-q1 VALUE" in result.output and "gengrade show gate-q1" in result.output


def test_a_wrong_answer_points_at_the_worked_solution(gengrade):
    bank = load_bank().root
    wrong = gengrade("answer", "vae-kl-diag", "5", "--seed", "3", bank=bank)
    assert wrong.exit_code == 1 and "gengrade show vae-kl-diag --solution --seed 3" in wrong.output
    assert "Worked solution" not in wrong.output
    shown = gengrade("show", "vae-kl-diag", "--solution", "--seed", "3", bank=bank)
    key = re.search(r"^Key: .* = ([0-9.]+) \(accepted", shown.output, re.M).group(1)
    assert gengrade("answer", "vae-kl-diag", key, "--seed", "3", bank=bank).exit_code == 0
