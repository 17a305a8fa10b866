"""Where a student sees options (show, answer, practice, sheets), the key's position carries no information."""

from __future__ import annotations

import json
import math
import re
from collections import Counter

import pytest

from grader.bank.load import load_bank
from grader.bank.instance import present
from grader.bank.options import relabel, shuffled
from grader.bank.variants import LETTERS, Option, Variant

SEEDS = range(200)
CHOICE = [p for p in load_bank().problems.values() if p.type in ("mcq", "msq")]


def spread(counts: Counter, letters: str, share: float, draws: int) -> bool:
    """Each position holds the key about `share` of the time: within 4.5 binomial standard deviations."""
    expected, sd = share * draws, math.sqrt(draws * share * (1 - share))
    return all(abs(counts[x] - expected) < 4.5 * sd for x in letters)


@pytest.mark.parametrize("problem", CHOICE, ids=lambda p: p.id)
def test_each_option_position_holds_the_key_about_equally_often(problem):
    positions = Counter()
    for seed in SEEDS:
        positions.update(present(problem, seed).answer_exact.split(","))
    count = len(problem.options)
    share = sum(o.correct for o in problem.options) / count  # chance a given position is correct
    assert spread(positions, LETTERS[:count], share, len(SEEDS)), positions


def test_pooled_over_the_bank_the_key_is_anywhere():
    single = [p for p in CHOICE if p.type == "mcq" and len(p.options) == 4]
    positions = Counter(present(p, seed).answer_exact for p in single for seed in SEEDS)
    assert spread(positions, "ABCD", 1 / 4, len(single) * len(SEEDS)), positions


def test_the_default_order_spreads_the_keys_too():
    """Without --seed (seed 0's order) the single-answer keys are not all in one place."""
    keys = Counter(present(p, None if p.fixed else 0).answer_exact for p in CHOICE if p.type == "mcq")
    assert max(keys.values()) <= len([p for p in CHOICE if p.type == "mcq"]) / 2, keys


def test_answering_a_to_everything_no_longer_scores(gengrade):
    bank = load_bank().root
    earned = possible = 0
    for seed in range(20):
        result = gengrade("practice", "concepts", "--count", "6", "--seed", str(seed), input="A\n" * 6, bank=bank)
        marks, total = map(int, re.search(r"Done\. Score: (\d+)/(\d+)", result.output).groups())
        earned, possible = earned + marks, possible + total
    assert earned < 0.4 * possible  # in bank order every key is A or A,B,C: full marks


def test_show_answer_and_practice_agree_on_the_letters(gengrade):
    bank = load_bank().root
    session = gengrade("practice", "concepts", "--count", "1", "--seed", "5", input="skip\n", bank=bank)
    pid, seed = re.search(r"\[1/1\] ([a-z-]+): .*seed (\d+)\)", session.output).groups()
    key = re.search(r"^Key: ([A-E,]+)$", session.output, re.M).group(1)
    shown = json.loads(gengrade("show", pid, "--seed", seed, "--json", "--solution", bank=bank).output)
    assert shown["key"] == key and [o["text"] for o in shown["options"]][0] in session.output
    assert gengrade("answer", pid, key, "--seed", seed, bank=bank).exit_code == 0
    assert f"gengrade show {pid} --seed {seed}" in session.output


def test_the_chapter_questions_keep_their_letters_without_a_seed(gengrade):
    assert gengrade("answer", "gate-q1", "C").exit_code == 0
    keys = {json.loads(gengrade("show", "gate-q1", "--seed", str(s), "--json", "--solution").output)["key"]
            for s in range(12)}
    assert len(keys) > 1  # with --seed they are shuffled like any other


def test_solutions_and_feedback_name_the_letters_shown(seed_bank):
    problem = seed_bank.problems["gate-q1"]  # its solution ends "(option C)", C being the key in bank order
    for seed in range(8):
        variant = present(problem, seed)
        assert f"(option {variant.answer_exact})" in variant.solution


def test_shuffled_rewrites_letters_once_and_refuses_a_second_shuffle():
    options = tuple(Option(f"o{i}", i == 1, feedback="Compare option B." if i == 0 else "") for i in range(4))
    variant = Variant("p", "p", "t", "mcq", 1, {}, "stem", "So (option B); not options A or D.", options)
    shown = shuffled(variant, (3, 2, 1, 0))
    assert shown.answer_exact == "C" and shown.solution == "So (option C); not options D or A."
    assert shown.options[3].feedback == "Compare option C." and shown.order == (3, 2, 1, 0)
    assert relabel("no letters here", (3, 2, 1, 0)) == "no letters here"
    with pytest.raises(ValueError):
        shuffled(shown, (0, 1, 2, 3))


def test_sheet_keys_are_spread(tmp_path, gengrade):
    bank = load_bank().root
    result = gengrade("sheet", "--topic", "concepts", "--count", "7", "--seed", "3", "--out", str(tmp_path / "s"),
                      bank=bank)
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "s" / "manifest.json").read_text())
    keys = [q["answer"] for q in data["papers"][0]["questions"]]
    assert len(set(keys)) > 2, keys
