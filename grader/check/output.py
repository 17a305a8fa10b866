"""Text from the student's process, made safe to store and to show.

Every string that crosses from the sandbox is made valid Unicode here (`valid_text`), once, at
the boundary: a lone surrogate such as ValueError("\\udc80") cannot be written to a UTF-8 file or
a JSON document, and one such string must not stop a class's outputs. Reports show the text
through `clean`: escape sequences could draw fake PASS lines, and invisible format characters
(bidi overrides, zero-width characters) could display a line reversed or hide text in it.
Students debug with print, so reports show the tail of what was printed, labelled as theirs;
a printed file must never come back whole.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata

TAIL_BYTES = 4096
TAIL_LINES = 12
_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")  # removed whole, parameters included
# Unicode categories never shown: controls (C0, C1), format characters (bidi embeddings,
# overrides and isolates, LRM/RLM/ALM, zero-width space and joiners, word joiner, BOM, tag
# characters) and surrogates. Line and paragraph separators become newlines, as splitlines reads them.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
KEPT_CONTROLS = "\n\t"


def valid_text(text: str) -> str:
    """`text` as valid Unicode: each lone surrogate written out as its escape (`\\udc80`)."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def clean(text: str, limit: int = 2000) -> str:
    """`text` without escape sequences, control or invisible format characters (newlines and tabs
    kept), cut to `limit`."""
    text = _ESCAPE.sub("", text)  # a CR, of CRLF too, goes with the controls below
    if not text.isprintable():
        text = "".join(_shown(ch) for ch in text)
    return text if len(text) <= limit else text[:limit] + " [...]"


def _shown(ch: str) -> str:
    if ch in KEPT_CONTROLS:
        return ch
    category = unicodedata.category(ch)
    return "" if category in HIDDEN_CATEGORIES else "\n" if category in ("Zl", "Zp") else ch


class OutputTail:
    """Reads a pipe to its end in a thread, keeping only the last TAIL_BYTES and a count."""

    def __init__(self, fd: int):
        self.tail, self.total = b"", 0
        self.thread = threading.Thread(target=self._read, args=(fd,), daemon=True)
        self.thread.start()

    def _read(self, fd: int) -> None:
        with os.fdopen(fd, "rb") as stream:
            while chunk := stream.read(1 << 16):
                self.total += len(chunk)
                self.tail = (self.tail + chunk)[-TAIL_BYTES:]

    def text(self) -> str:
        """The last lines printed, cleaned; with a first line saying what was left out."""
        self.thread.join(timeout=5)
        lines = clean(self.tail.decode("utf-8", "replace"), TAIL_BYTES).strip("\n").splitlines()
        shown = lines[-TAIL_LINES:]
        if self.total > TAIL_BYTES or len(lines) > TAIL_LINES:
            shown.insert(0, f"[... {self.total} bytes printed in all; the last {len(shown)} lines:]")
        return "\n".join(shown)
