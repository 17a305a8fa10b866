"""LaTeX maths as readable Unicode for the terminal: `$\\tfrac12\\sigma^2$` -> `(1/2) σ^2`.

Only the $...$ segments are converted (prose is left alone: "22.4%" would read as a LaTeX
comment). pylatexenc does the conversion; around it, this module keeps what a flat line of
text would lose: grouping (`e^(-1/2)`, `α_(t-1)`, `(1/2) log(2π)`), the space after a
name (`log p_x(x)`, `μ = -1`), and matrices, laid out one row per line. Anything it cannot
read stays as typed. Papers and keys keep real LaTeX and MathML; this is for `answer`,
`practice` and `show`.
"""

from __future__ import annotations

import re
from functools import lru_cache

MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)
# What pylatexenc misreads, rewritten first: \tfrac/\dfrac (read like \frac) and \| (dropped).
REWRITES = [(re.compile(r"\\[td]frac(?![A-Za-z])"), r"\\frac"), (re.compile(r"\\\|"), "‖"),
            (re.compile(r"\s*\\mid(?![A-Za-z])\s*"), "|")]
ARGUMENT_MACROS = {"frac", "sqrt", "mathrm", "mathbb", "mathcal", "mathbf", "text", "operatorname", "hat", "tilde",
                   "bar", "overline", "left", "right", "big", "Big", "bigg", "Bigg", "begin", "end",
                   "partial"}  # and \partial, whose following space is dropped: ∂f
MACRO_BEFORE_SPACE = re.compile(r"\\([A-Za-z]+)(?=\s+\S)")
SIMPLE_SCRIPT = re.compile(r"\s*([A-Za-z0-9]+|[0-9]*\.[0-9]+|\\[A-Za-z]+|\*|'|\\prime)\s*")
MATRIX = re.compile(r"\\begin\{([pb]?matrix)\}(.*?)\\end\{\1\}", re.S)
OPEN, CLOSE = "\ue000", "\ue001"  # around a converted fraction, until its neighbours are known
FRACTION = re.compile(f"{OPEN}([^{OPEN}{CLOSE}]*){CLOSE}")
NEUTRAL_BEFORE, NEUTRAL_AFTER = set("([{=+-−,;:<>≈≤≥≠⟺·×/"), set(")]},;.:=+-−<>≈≤≥≠⟺·×/")  # a/b needs no ( ) here
TOKEN = re.compile(r"-?[\d.]+|∂?[^\W\d]\w*|∂|√\(.*\)")  # a numerator or denominator that needs no parentheses
FUNCTION_MACRO = re.compile(r"(?<=[\w}])\\(log|exp|det|tanh|cos|sin|max|min)(?![A-Za-z])")
RELATIONS = re.compile(r"\s*([≈≤≥∼→∈×·⊙±≠⟺])\s*")
FUNCTION_GLUED = re.compile(r"\b(log|exp|det|tanh|diag|tr|max|min)(?=[^\W_]|[√∂𝒩])")


def to_terminal(text: str) -> str:
    return MATH.sub(lambda m: _convert(m.group(1) or m.group(2)), text)


@lru_cache(maxsize=4096)
def _convert(latex: str) -> str:
    try:
        matrices = []
        latex = MATRIX.sub(lambda m: _hold(matrices, m.group(2)), latex)
        text = _tidy(_converter().latex_to_text(_prepare(latex)).strip())
        for index, block in enumerate(matrices):
            text = text.replace(f"MATRIXSLOT{index}X", block)
        return text
    except Exception:  # noqa: BLE001 - unreadable maths is shown as typed
        return latex


def _prepare(latex: str) -> str:
    """LaTeX that pylatexenc reads without losing grouping or spaces."""
    for pattern, replacement in REWRITES:
        latex = pattern.sub(replacement, latex)
    latex = FUNCTION_MACRO.sub(r" \\\1", latex)  # a\log b -> a \log b
    latex = MACRO_BEFORE_SPACE.sub(lambda m: m.group(0) if m.group(1) in ARGUMENT_MACROS else f"\\{m.group(1)}{{}}",
                                   latex)
    return _group_scripts(latex)


def _group_scripts(latex: str) -> str:
    """x^{t-1} -> x^{(t-1)}: a script of more than one token keeps its extent as text."""
    out, i = [], 0
    while i < len(latex):
        if latex[i] in "^_" and latex[i + 1:i + 2] == "{":
            end = _closing(latex, i + 1)
            inner = _group_scripts(latex[i + 2:end])
            out.append(f"{latex[i]}{{{inner.strip() if SIMPLE_SCRIPT.fullmatch(inner) else f'({inner.strip()})'}}}")
            i = end + 1
        else:
            out.append(latex[i])
            i += 1
    return "".join(out)


def _closing(latex: str, start: int) -> int:
    """Index of the brace closing the one at `start` (the end of the text if unbalanced)."""
    depth = 0
    for j in range(start, len(latex)):
        depth += {"{": 1, "}": -1}.get(latex[j], 0) if latex[j - 1:j] != "\\" else 0
        if depth == 0:
            return j
    return len(latex) - 1


def _tidy(text: str) -> str:
    """Parentheses where a fraction would glue to a neighbour, spaces around relations and after names."""
    text = _place_fractions(text)
    text = RELATIONS.sub(r" \1 ", text)
    text = FUNCTION_GLUED.sub(r"\1 ", text)
    text = re.sub(r"([(\[])\s+", r"\1", re.sub(r"\s+([)\]])", r"\1", text))
    return re.sub(r"^- (?=\S)", "-", re.sub(r" {2,}", " ", text))


def _place_fractions(text: str) -> str:
    """Every converted fraction in its final form, innermost first (a fraction inside a fraction's
    part is marked twice: 3/(1/2), never a marker left over)."""
    while FRACTION.search(text):
        text = FRACTION.sub(lambda m, whole=text: _fraction_in_place(whole, m), text)
    return text


def _fraction_in_place(text: str, match: re.Match) -> str:
    before = text[:match.start()].rstrip()[-1:]
    after = text[match.end():].lstrip()[:1]
    if (not before or before in NEUTRAL_BEFORE) and (not after or after in NEUTRAL_AFTER):
        return match.group(1)
    return f"({match.group(1)})" + (" " if after.isalpha() and not text[match.end():match.end() + 1].isspace() else "")


def _hold(matrices: list[str], body: str) -> str:
    """A matrix laid out one row per line, columns aligned; a placeholder takes its place meanwhile."""
    rows = [[_convert(cell.strip()) for cell in row.split("&")] for row in re.split(r"\\\\", body) if row.strip()]
    widths = [max(len(row[k]) for row in rows if k < len(row)) for k in range(max(map(len, rows)))]
    lines = ["    [ " + "  ".join(cell.rjust(w) for cell, w in zip(row, widths)) + " ]" for row in rows]
    matrices.append("\n" + "\n".join(lines))
    return f"MATRIXSLOT{len(matrices) - 1}X"


def _fraction(node, l2tobj) -> str:
    """a/b, with parentheses around a part of more than one token: 1/(2 e), not 1/2 e."""
    parts = [_place_fractions(l2tobj.nodelist_to_text([arg]).strip()) if arg is not None else ""
             for arg in node.nodeargd.argnlist]
    text = "/".join(p if TOKEN.fullmatch(p) else f"({p})" for p in parts[-2:])
    return f"{OPEN}{text}{CLOSE}"


def key_text(exact: str) -> str:
    """A key written as sympy text ("log(7/2 - 3*tanh(x)**2)") as terminal maths: log(7/2 - 3 tanh^2(x))."""
    import sympy

    try:
        return to_terminal(f"${sympy.latex(sympy.sympify(exact))}$")
    except (sympy.SympifyError, TypeError, ValueError):
        return exact


@lru_cache(maxsize=1)
def _converter():
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    context = get_default_latex_context_db()
    macros = [MacroTextSpec("frac", simplify_repl=_fraction), MacroTextSpec("det", "det"),
              MacroTextSpec("top", "⊤"), MacroTextSpec("iff", "⟺"), MacroTextSpec("ne", "≠"), MacroTextSpec("varnothing", "∅")]
    context.add_context_category("gengrade", prepend=True, macros=macros)
    return LatexNodes2Text(latex_context=context, math_mode="text")
