"""Bank text (Markdown with `$...$` / `$$...$$` LaTeX) turned into HTML or LaTeX.

Maths is cut out before Markdown sees it (so `a_1 * b_2` inside dollars is never read as
emphasis), replaced by private-use placeholders, and put back afterwards: as MathML in
HTML, as the original LaTeX in `.tex`. Most bank strings are plain sentences around
formulas; those skip the Markdown parser (the result is identical, tests check it).
"""

from __future__ import annotations

import functools
import html
import re

from markdown_it import MarkdownIt

from grader.exam.mathml import to_mathml

_MATH = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<!\\)\$(.+?)(?<!\\)\$", re.DOTALL)
_SLOT = re.compile("\ue000(\\d+)\ue001")
_GLUED = re.compile("(\ue000\\d+\ue001[.,;:!?)]+)")
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")  # bank stems use GFM tables
# Anything that could make Markdown differ from "escape and wrap in <p>".
_SPECIAL = re.compile(r"[\\`*_\[\]!<>&#|~]|^[ \t]|[ \t]$|^(?:[-+=]|\d+[.)])", re.MULTILINE)


def split_math(text: str) -> tuple[str, list[tuple[str, bool]]]:
    """Text with each formula replaced by a placeholder, and the formulas (latex, display)."""
    formulas: list[tuple[str, bool]] = []

    def cut(match: re.Match) -> str:
        display = match.group(1) is not None
        formulas.append(((match.group(1) if display else match.group(2)).strip(), display))
        return f"\ue000{len(formulas) - 1}\ue001"

    return _MATH.sub(cut, text), formulas


@functools.lru_cache(maxsize=65536)
def to_html(text: str, inline: bool = False, mathml: bool = True) -> str:
    """HTML with MathML; `inline` leaves out the paragraph tags (for options and answers).

    mathml=False keeps formulas as TeX between `\\(..\\)` / `\\[..\\]`, for platforms
    (Moodle) that typeset TeX themselves.
    """
    body, formulas = split_math(text.strip())
    if not _SPECIAL.search(body):
        rendered = _plain_html(body, inline)
    else:
        rendered = _MARKDOWN.renderInline(body) if inline else _MARKDOWN.render(body)
    if mathml:  # keep a formula and the punctuation after it on one line, as TeX would
        rendered = _GLUED.sub(r'<span class="nobreak">\1</span>', rendered)
    restore = to_mathml if mathml else _tex_html
    return _SLOT.sub(lambda m: restore(*formulas[int(m.group(1))]), rendered)


def _tex_html(latex: str, display: bool) -> str:
    escaped = html.escape(latex, quote=False)
    return f"\\[{escaped}\\]" if display else f"\\({escaped}\\)"


def _plain_html(body: str, inline: bool) -> str:
    """What markdown-it renders for text without Markdown syntax, at a tenth of the cost."""
    escaped = html.escape(body, quote=False).replace('"', "&quot;")
    if inline:
        return escaped
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", escaped) if p.strip()]
    return "".join(f"<p>{p}</p>\n" for p in paragraphs)


@functools.lru_cache(maxsize=65536)
def to_latex(text: str, inline: bool = False) -> str:
    """LaTeX body text; formulas are passed through as written."""
    body, formulas = split_math(text.strip())
    tokens = _MARKDOWN.parseInline(body) if inline else _MARKDOWN.parse(body)
    rendered = "".join(_latex_blocks(tokens)).strip()

    def restore(match: re.Match) -> str:
        latex, display = formulas[int(match.group(1))]
        return f"\\[{latex}\\]" if display else f"${latex}$"

    return _SLOT.sub(restore, rendered)


_BLOCKS = {
    "paragraph_close": "\n\n", "bullet_list_open": "\\begin{itemize}\n", "bullet_list_close": "\\end{itemize}\n\n",
    "ordered_list_open": "\\begin{enumerate}\n", "ordered_list_close": "\\end{enumerate}\n\n",
    "list_item_open": "\\item ", "heading_open": "\\paragraph*{", "heading_close": "}\n\n",
    "blockquote_open": "\\begin{quote}\n", "blockquote_close": "\\end{quote}\n\n", "hr": "\\medskip\\hrule\\medskip\n\n",
    "tr_close": " \\\\\n", "thead_close": "\\hline\n", "table_close": "\\hline\n\\end{tabular}\\end{center}\n\n",
}


def _latex_blocks(tokens) -> list[str]:
    out, first_cell = [], True
    for index, token in enumerate(tokens):
        if token.type == "inline":
            out.append(_latex_inline(token.children or []))
        elif token.type in ("fence", "code_block"):
            out.append("\\begin{verbatim}\n" + token.content + "\\end{verbatim}\n\n")
        elif token.type == "paragraph_close" and token.hidden:
            out.append("\n")  # tight list items
        elif token.type == "table_open":
            columns = _columns(tokens, index)
            out.append("\\begin{center}\\begin{tabular}{|" + "l|" * columns + "}\\hline\n")
        elif token.type in ("th_open", "td_open"):
            out.append("" if first_cell else " & ")
            first_cell = False
        elif token.type == "tr_open":
            first_cell = True
        else:
            out.append(_BLOCKS.get(token.type, ""))
    return out


def _columns(tokens, start: int) -> int:
    """Cells in the first row of the table that opens at tokens[start]."""
    count = 0
    for token in tokens[start:]:
        if token.type == "tr_close":
            break
        count += token.type in ("th_open", "td_open")
    return max(1, count)


_INLINE = {"strong_open": "\\textbf{", "strong_close": "}", "em_open": "\\emph{", "em_close": "}",
           "softbreak": "\n", "hardbreak": "\\\\\n", "link_close": "}"}


def _latex_inline(children) -> str:
    out = []
    for child in children:
        if child.type == "text":
            out.append(escape_latex(child.content))
        elif child.type == "code_inline":
            out.append("\\texttt{" + escape_latex(child.content) + "}")
        elif child.type == "link_open":
            out.append("\\href{" + escape_latex(child.attrs.get("href", "")) + "}{")
        elif child.type == "inline" or child.children:
            out.append(_latex_inline(child.children or []))
        else:
            out.append(_INLINE.get(child.type, escape_latex(child.content or "")))
    return "".join(out)


_TEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                "\u2014": "---", "\u2013": "--", "\u201c": "``", "\u201d": "''", "\u2019": "'", "\u00a0": "~"}
# Symbols that pdfLaTeX cannot typeset from UTF-8 text but that bank prose uses.
_TEX_SYMBOLS = {"α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon",
                "θ": r"\theta", "λ": r"\lambda", "μ": r"\mu", "π": r"\pi", "σ": r"\sigma", "τ": r"\tau",
                "φ": r"\phi", "ψ": r"\psi", "ω": r"\omega", "Σ": r"\Sigma", "≈": r"\approx", "≤": r"\le",
                "≥": r"\ge", "≠": r"\ne", "×": r"\times", "·": r"\cdot", "→": r"\to", "∞": r"\infty",
                "∇": r"\nabla", "∈": r"\in", "±": r"\pm", "−": "-", "‖": r"\|"}
_TEX_TABLE = str.maketrans({**_TEX_SPECIAL, **{k: f"\\ensuremath{{{v}}}" for k, v in _TEX_SYMBOLS.items()}})


def escape_latex(text: str) -> str:
    """Prose made safe for LaTeX; placeholders of formulas pass through untouched."""
    return text.translate(_TEX_TABLE)
