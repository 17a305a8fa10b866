"""LaTeX to MathML, so HTML papers show their maths offline (browsers lay out MathML natively).

latex2mathml does the conversion; at about 0.3 ms a formula it would dominate a
1,000-student exam, where the same formula recurs with different numbers. So each
formula is converted once per *shape*: its free-standing numbers are swapped for
placeholder letters, the shape's MathML is cached, and the numbers are put back as
`<mn>` elements. A shape whose placeholders do not come back as plain `<mi>` elements
exactly once each (numbers under `\\mathrm`, inside `\\text`, ...) is converted directly,
so the result is always what latex2mathml gives for the original formula.
"""

from __future__ import annotations

import functools
import html
import re

from latex2mathml.converter import convert

# A free-standing decimal number: not a digit run glued to `^`, `_` or a control word
# (`x^12` is x^1 followed by 2; `\frac12` has two arguments), and not followed by a dot.
_NUMBER = re.compile(r"(?<![\\^_A-Za-z0-9.])\d+(?:\.\d+)?(?![0-9.])")
_PLACEHOLDERS = [chr(c) for c in range(0x24D0, 0x24EA)] + [chr(c) for c in range(0x24B6, 0x24D0)]  # ⓐ-ⓩ Ⓐ-Ⓩ


def to_mathml(latex: str, display: bool = False) -> str:
    """MathML for one formula (the text between dollars)."""
    numbers = _NUMBER.findall(latex)
    if not numbers or len(numbers) > len(_PLACEHOLDERS) or any(p in latex for p in _PLACEHOLDERS):
        return _direct(latex, display)
    shape = _NUMBER.sub(_Counter(), latex)
    parts = _shape(shape, display, len(numbers))
    if parts is None:
        return _direct(latex, display)
    return _fill(parts, numbers)


class _Counter:
    """re.sub callback that numbers the placeholders in order of appearance."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, _match: re.Match) -> str:
        self.count += 1
        return _PLACEHOLDERS[self.count - 1]


@functools.lru_cache(maxsize=65536)
def _shape(shape: str, display: bool, count: int) -> tuple | None:
    """Cut the shape's MathML at each placeholder: (pieces, which number goes in each gap)."""
    mathml = _direct(shape, display)
    tags = [f"<mi>{_PLACEHOLDERS[i]}</mi>" for i in range(count)]
    if any(mathml.count(tag) != 1 for tag in tags):
        return None
    found = sorted((mathml.index(tag), i) for i, tag in enumerate(tags))
    pieces, start = [], 0
    for position, _ in found:
        pieces.append(mathml[start:position])
        start = position + len(tags[0])
    pieces.append(mathml[start:])
    return tuple(pieces), tuple(i for _, i in found)


def _fill(parts: tuple, numbers: list[str]) -> str:
    pieces, order = parts
    out = [pieces[0]]
    for gap, number_index in enumerate(order):
        out.append(f"<mn>{numbers[number_index]}</mn>")
        out.append(pieces[gap + 1])
    return "".join(out)


@functools.lru_cache(maxsize=65536)
def _direct(latex: str, display: bool) -> str:
    """latex2mathml's own conversion; unsupported input shows as its LaTeX source."""
    try:
        return convert(latex, display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - latex2mathml raises many types; the page must still print
        return f'<code class="tex">{html.escape(latex)}</code>'
