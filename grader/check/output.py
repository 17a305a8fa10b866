"""What the student's code printed, kept safe to show: bounded, and without control characters.

Students debug with print, so reports show the tail of what was printed, labelled as theirs.
Nothing the submission wrote reaches the terminal raw: escape sequences could draw fake PASS
lines, and a printed file must never come back whole.
"""

from __future__ import annotations

import os
import re
import threading

TAIL_BYTES = 4096
TAIL_LINES = 12
_CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str, limit: int = 2000) -> str:
    """`text` without escape sequences or control characters (newlines and tabs kept), cut to `limit`."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n"))
    return text if len(text) <= limit else text[:limit] + " [...]"


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
