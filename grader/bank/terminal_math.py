"""LaTeX maths as readable Unicode for the terminal: `$\\frac{1}{2}\\sigma^2$` -> `1/2σ^2`.

Only the $...$ segments are converted (prose is left alone: "22.4%" would read as a
LaTeX comment); pylatexenc does the conversion, and anything it cannot read stays as
typed. Papers and keys keep real LaTeX and MathML; this is for `answer` and `practice`.
"""

from __future__ import annotations

import re
from functools import lru_cache

MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)
# What pylatexenc misreads, rewritten first: \tfrac/\dfrac (read like \frac) and \| (dropped).
REWRITES = [(re.compile(r"\\[td]frac(?![A-Za-z])"), r"\\frac"), (re.compile(r"\\\|"), "‖")]


def to_terminal(text: str) -> str:
    return MATH.sub(lambda m: _convert(m.group(1) or m.group(2)), text)


@lru_cache(maxsize=4096)
def _convert(latex: str) -> str:
    try:
        for pattern, replacement in REWRITES:
            latex = pattern.sub(replacement, latex)
        return _converter().latex_to_text(latex).strip()
    except Exception:  # noqa: BLE001 - unreadable maths is shown as typed
        return latex


def _fraction(node, l2tobj) -> str:
    """a/b, with parentheses around a part of more than one token: 1/(2 e), not 1/2 e."""
    parts = [l2tobj.nodelist_to_text([arg]).strip() if arg is not None else "" for arg in node.nodeargd.argnlist]
    return "/".join(p if re.fullmatch(r"[\w.]+|√\(.*\)", p) else f"({p})" for p in parts[-2:])


@lru_cache(maxsize=1)
def _converter():
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    context = get_default_latex_context_db()
    context.add_context_category("gengrade", prepend=True, macros=[MacroTextSpec("frac", simplify_repl=_fraction)])
    return LatexNodes2Text(latex_context=context, math_mode="text")
