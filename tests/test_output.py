"""grader/check/output.py: text from the sandbox made valid (lone surrogates) and safe to show
(no escape sequences, controls or invisible format characters), and the printed tail bounded."""

from __future__ import annotations

import os

from grader.check.output import TAIL_BYTES, TAIL_LINES, OutputTail, clean, valid_text

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def test_valid_text_escapes_each_lone_surrogate_and_keeps_valid_text_as_it_is():
    assert valid_text("a\udc80b\ud800") == "a\\udc80b\\ud800"
    assert valid_text("\udc80") != valid_text("\udc81")  # distinct strings stay distinct
    same = "plain é π 中 🙂 \\udc80"
    assert valid_text(same) is same


def test_clean_strips_bidi_controls_zero_width_and_tag_characters():
    assert clean(f"a{BIDI}b{ZERO_WIDTH}c") == "abc"
    assert clean("exe.\u202egnp") == "exe.gnp"
    assert clean("PASS\U000e0041\U000e0042 \u00ad\u180e") == "PASS "  # tags, soft hyphen, Mongolian separator
    assert clean("lone \udc80 surrogate") == "lone  surrogate"


def test_clean_keeps_text_newlines_and_tabs_and_breaks_unicode_line_separators():
    assert clean("é π 中文 🙂 ∑\tx\ny") == "é π 中文 🙂 ∑\tx\ny"
    assert clean("a\u2028b\u2029c\r\nd") == "a\nb\nc\nd"
    assert clean("\x1b[31mred\x1b[0m \x07\x85\x9b31m\r") == "red 31m"
    assert clean("x" * 50, limit=10) == "x" * 10 + " [...]" and clean("x" * 10, limit=10) == "x" * 10
    assert clean("y" * 2000) == "y" * 2000 and clean("y" * 2001) == "y" * 2000 + " [...]"


def tail_of(data: bytes) -> str:
    read, write = os.pipe()
    tail = OutputTail(read)
    with os.fdopen(write, "wb") as stream:
        stream.write(data)
    return tail.text()


def test_the_tail_keeps_the_last_lines_and_says_how_much_was_printed():
    assert tail_of(b"one\ntwo\n") == "one\ntwo"
    lines = "".join(f"line {i}\n" for i in range(40)).encode()
    shown = tail_of(lines).splitlines()
    assert shown[0] == f"[... {len(lines)} bytes printed in all; the last {TAIL_LINES} lines:]"
    assert shown[1:] == [f"line {i}" for i in range(40 - TAIL_LINES, 40)]
    flood = tail_of(b"x" * (3 * TAIL_BYTES) + b"\nend\xff\x1b[2J")
    assert flood.startswith(f"[... {3 * TAIL_BYTES + 9} bytes printed in all") and flood.endswith("end\ufffd")
    assert tail_of(b"z" * 300_000).startswith("[... 300000 bytes printed in all; the last 1 lines:]")


def test_the_tail_says_nothing_was_left_out_up_to_its_limits_and_keeps_indentation():
    assert tail_of(b"\n\n  indented\tXX\n\n") == "  indented\tXX"
    exactly = "".join(f"line {i}\n" for i in range(TAIL_LINES))
    assert tail_of(exactly.encode()) == exactly.strip("\n")
    full = (b"w" * 340 + b"\n") * (TAIL_LINES - 1) + b"v" * (TAIL_BYTES - 341 * (TAIL_LINES - 1))
    assert len(full) == TAIL_BYTES and tail_of(full) == full.decode()
