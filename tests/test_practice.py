"""`gengrade practice` driven through stdin: feedback, worked solutions, running score, skip/quit/EOF."""

from __future__ import annotations

import re

import pytest

TWO_MCQS = """
    problems:
      - id: q-one
        title: First question
        topic: drill
        type: mcq
        marks: 1
        options:
          - {text: "wrong", misconception: first-mistake, feedback: "Not this one."}
          - {text: "right", correct: true}
        stem: Pick the right one (first).
        solution: The second option, first solution.
      - id: q-two
        title: Second question
        topic: drill
        type: mcq
        marks: 2
        options:
          - {text: "wrong", misconception: second-mistake, feedback: "Not this one either."}
          - {text: "right", correct: true}
        stem: Pick the right one (second).
        solution: The second option, second solution.
      - id: q-other
        title: Another topic
        topic: other
        type: nat
        marks: 1
        answer: "1/2"
        tolerance: {abs: 0.01}
        stem: Half?
        solution: One half.
"""


@pytest.fixture
def practise(gengrade, write_yaml):
    path = write_yaml(TWO_MCQS)
    return lambda answers, *args: gengrade("practice", *args, input=answers, bank=path)


def keys(output: str) -> list[str]:
    """The letter printed beside "right" in each problem asked, in order (options are shuffled)."""
    return re.findall(r"\(([A-D])\) right$", output, re.M)


def other(letter: str) -> str:
    return "A" if letter == "B" else "B"


def test_right_answers_score_all_marks_and_show_solutions(practise):
    letters = keys(practise("skip\nskip\n", "drill", "--count", "2", "--seed", "4").output)
    result = practise(f"{letters[0].lower()}\n{letters[1]}\n", "drill", "--count", "2", "--seed", "4")
    assert result.exit_code == 0
    assert result.output.count("Right.") == 2
    assert "first solution" in result.output and "second solution" in result.output
    assert "Done. Score: 3/3 marks over 2 problems asked (2 right, 0 wrong, 0 skipped)" in result.output
    assert "Half?" not in result.output  # the other topic is not asked


def test_wrong_and_skipped_answers_both_count(practise):
    first = keys(practise("skip\n", "drill", "--count", "2", "--seed", "4").output)[0]
    result = practise(f"{other(first)}\nskip\n", "drill", "--count", "2", "--seed", "4")
    assert result.exit_code == 0 and "Wrong." in result.output and "Not this one" in result.output
    # the skipped problem's marks count in the total: 1 + 2 marks were asked
    assert "Done. Score: 0/3 marks over 2 problems asked (0 right, 1 wrong, 1 skipped)" in result.output
    assert re.search(r"Review: (first|second)-mistake \(q-(one|two)\)", result.output)
    assert result.output.count("Worked solution") == 2  # shown after a skip too


def test_a_skip_counts_its_marks_as_lost(practise):
    letters = keys(practise("skip\nskip\n", "drill", "--count", "2", "--seed", "4").output)
    result = practise(f"skip\n{letters[1]}\n", "drill", "--count", "2", "--seed", "4")
    marks = re.findall(r"\[2/2\] q-(?:one|two): .*\((?:drill), one option, (\d) marks?", result.output)
    assert f"Done. Score: {marks[0]}/3 marks over 2 problems asked (1 right, 0 wrong, 1 skipped)" in result.output


def test_unreadable_input_asks_again_and_quit_ends(practise):
    first = keys(practise("skip\n", "drill", "--count", "2", "--seed", "1").output)[0]
    result = practise(f"zzz\n{first}\nquit\n", "drill", "--count", "2", "--seed", "1")
    assert result.exit_code == 0 and "Cannot read that" in result.output
    assert "Done. Score: " in result.output and "over 1 problem asked (1 right, 0 wrong, 0 skipped)" in result.output


def test_end_of_input_ends_with_a_summary(practise):
    result = practise("", "--count", "3", "--seed", "2")
    assert result.exit_code == 0 and "Done. Score: 0/0 marks over 0 problems asked" in result.output


def test_same_seed_same_session(practise):
    first, second = practise("skip\nskip\nskip\n", "--seed", "9"), practise("skip\nskip\nskip\n", "--seed", "9")
    assert first.output == second.output and "repeat them with --seed 9" in first.output


def test_unknown_topic_is_a_usage_error(practise):
    result = practise("", "drll")
    assert result.exit_code == 2 and "did you mean drill" in result.output


def test_practice_over_the_seed_chapter(gengrade):
    result = gengrade("practice", "gan", "--count", "8", "--seed", "3", input="skip\n" * 8)
    asked = re.findall(r"\[\d/8\] ([a-z0-9-]+):", result.output)
    assert result.exit_code == 0 and len(set(asked)) == 8
    assert set(asked) == {"gate-q1", "we1", "we1a", "we1b", "we1c", "b2a", "b2b", "b2c"}


def test_ctrl_c_ends_with_the_score_so_far(seed_bank):
    """Ctrl-C while an answer is awaited is a `quit`: the session ends with its score, not "Aborted!"."""
    from click.testing import CliRunner

    from grader.bank.practice import run_practice

    answers = iter(["skip"])

    def read():
        line = next(answers, None)
        if line is None:
            raise KeyboardInterrupt
        return line

    runner = CliRunner()
    with runner.isolation() as (out, *_):
        score = run_practice(list(seed_bank.problems.values()), 3, 110, read)
    text = out.getvalue().decode()
    assert (score.skipped, score.right, score.wrong) == (1, 0, 0)
    assert text.rstrip().endswith("Score: 0/" + str(score.possible) + " marks over 1 problem asked (0 right, 0 wrong, 1 skipped)")
    assert "Done." in text


def test_on_a_terminal_arrow_keys_edit_the_line_and_ctrl_c_shows_the_score():
    """Through a real pseudo-terminal: D, left arrow, right arrow, Enter is read as "D" (readline),
    not as D and escape codes; then Ctrl-C prints the score."""
    import fcntl
    import os
    import pty
    import select
    import subprocess
    import sys
    import termios
    import time

    leader, follower = pty.openpty()
    def own_terminal():  # the pty becomes the child's controlling terminal, so Ctrl-C raises SIGINT in it
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    process = subprocess.Popen([sys.executable, "-m", "grader", "practice", "vae", "--count", "2", "--seed", "1058"],
                               stdin=follower, stdout=follower, stderr=follower, preexec_fn=own_terminal)
    os.close(follower)
    seen = b""

    def until(needle: bytes, timeout: float = 60) -> None:
        nonlocal seen
        deadline = time.monotonic() + timeout
        while needle not in seen and time.monotonic() < deadline:
            if select.select([leader], [], [], 0.5)[0]:
                try:
                    seen += os.read(leader, 65536)
                except OSError:
                    break
        assert needle in seen, seen.decode(errors="replace")

    try:
        until(b"Your answer")
        os.write(leader, b"D\x1b[D\x1b[C\r")
        until(b"[2/2]")
        until(b"Your answer (a number")
        time.sleep(0.5)  # let readline take the line (a key pressed before the prompt is drawn can be lost)
        os.write(leader, b"\x03")
        try:
            until(b"Done.", timeout=15)
        except AssertionError:  # a loaded machine: press Ctrl-C again, as a person would
            os.write(leader, b"\x03")
            until(b"Done.")
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()
        os.close(leader)
    text = seen.decode(errors="replace")
    assert "Right." in text and "Cannot read" not in text and "Aborted" not in text
    assert "Score: 1/1 marks over 1 problem asked (1 right, 0 wrong, 0 skipped)" in text.split("Done.")[1]
