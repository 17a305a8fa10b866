"""Papers, keys and reports through Jinja: Markdown, HTML (with MathML) and LaTeX.

One environment per (format, override folder), built once: templates are compiled on
first use and reused for every student. A user's `--templates DIR` is searched before
the package's own `grader/exam/templates/`, so a single file such as `paper.html.j2` can be
replaced without copying the rest. LaTeX layouts use `((* *))` and `((( )))` so TeX
braces need no escaping. Rendering never samples or grades: it prints records.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, TemplateNotFound
from markupsafe import Markup

from grader.bank.reading import number_tex, range_ends
from grader.errors import UsageError
from grader.exam.markup import escape_latex, to_html, to_latex
from grader.exam.paper import LETTERS, Paper, Question

FORMATS = ("md", "html", "tex", "pdf")
TYPE_LABELS = {"mcq": "MCQ, one correct option", "msq": "MSQ, one or more correct options",
               "nat": "NAT, enter a number", "expr": "enter a formula"}


def number(value: float, digits: int = 10) -> str:
    """A float printed the same way on every machine: up to `digits` significant digits."""
    text = format(float(value), f".{digits}g")
    return "0" if text == "-0" else text


@functools.lru_cache(maxsize=None)
def environment(fmt: str, templates: Path | None = None) -> Environment:
    """The Jinja environment of one output format (md, html or tex)."""
    loaders = [FileSystemLoader(str(templates))] if templates else []
    loaders.append(PackageLoader("grader.exam", "templates"))
    options = dict(loader=ChoiceLoader(loaders), undefined=StrictUndefined, auto_reload=False,
                   keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    if fmt == "tex":
        options.update(block_start_string="((*", block_end_string="*))", variable_start_string="(((",
                       variable_end_string=")))", comment_start_string="((=", comment_end_string="=))")
    env = Environment(autoescape=fmt == "html", **options)
    env.filters["num"] = number
    env.filters["tex"] = escape_latex
    return env


@functools.lru_cache(maxsize=None)
def template(name: str, fmt: str, templates: Path | None = None):
    """A compiled template, e.g. ("paper", "html") -> paper.html.j2."""
    try:
        return environment(fmt, templates).get_template(f"{name}.{fmt}.j2")
    except TemplateNotFound:
        raise UsageError(f"no template {name}.{fmt}.j2 in {templates or 'the package'}") from None


def _converter(fmt: str) -> Callable[[str, bool], str]:
    """Bank Markdown -> the format's markup (Markdown stays as written)."""
    if fmt == "html":
        return lambda text, inline=False: Markup(to_html(text, inline))
    if fmt == "tex":
        return to_latex
    return lambda text, inline=False: text.strip()


def render_paper(paper: Paper, fmt: str, templates: Path | None = None) -> tuple[str, str]:
    """(the student's paper, its answer key with worked solutions), from one shared context.

    Converting the bank's Markdown and maths is most of the work, and both pages show the
    same questions, so it is done once per paper and format.
    """
    context = page_context(paper, fmt)
    return (template("paper", fmt, templates).render(context), template("key", fmt, templates).render(context))


def page_context(paper: Paper, fmt: str) -> dict:
    """What the paper and key templates of one format see: every text in the format's markup."""
    convert = _converter(fmt)
    sections = [{"title": convert(head.title, True), "instructions": convert(head.instructions),
                 "questions": [_question(q, convert) for q in paper.questions if q.section == index]}
                for index, head in enumerate(paper.sections)]
    return {"title": convert(paper.title, True), "duration": paper.duration,
            "instructions": convert(paper.instructions), "student_id": paper.student_id,
            "name": paper.name, "total_marks": paper.total_marks, "sections": sections}


def _question(q: Question, convert: Callable) -> dict:
    v = q.shown  # options, key letters and solution as printed on this paper
    options = [{"letter": LETTERS[pos], "text": convert(o.text, True), "correct": o.correct,
                "misconception": o.misconception or "", "feedback": convert(o.feedback, True)}
               for pos, o in enumerate(v.options)]
    return {"number": q.number, "marks": v.marks, "type": v.type, "label": TYPE_LABELS.get(v.type, v.type),
            "problem_id": v.problem_id, "stem": convert(v.stem), "options": options,
            "answer": convert(answer_text(q), True), "solution": convert(v.solution)}


def answer_text(q: Question) -> str:
    """The key of one question as bank Markdown: letters, a number and its range, or a formula."""
    v = q.variant
    if v.type in ("mcq", "msq"):
        return "**" + ", ".join(q.letters.split(",")) + "**"
    if v.type == "nat" and v.answer is not None:
        lo, hi = v.interval or (v.answer, v.answer)
        low, high = range_ends(lo, hi, number_tex)
        return f"${number_tex(v.answer)}$ (accepted: ${low}$ to ${high}$)"
    return f"${_formula_latex(v.answer_exact)}$"


def _formula_latex(exact: str) -> str:
    """A sympy string as LaTeX (sympy is imported only when a sheet has a formula answer)."""
    import sympy

    try:
        return sympy.latex(sympy.sympify(exact))
    except (sympy.SympifyError, TypeError, ValueError):
        return r"\texttt{" + escape_latex(exact) + "}"


def render_page(name: str, fmt: str, context: dict, templates: Path | None = None) -> str:
    """Any other page (the item-analysis report) from its template and a ready context."""
    return template(name, fmt, templates).render(context)
