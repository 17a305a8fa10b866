"""Write papers and keys into a staging folder, in the requested formats.

Markdown, HTML and LaTeX are rendered per paper (in the forked workers of `exam`); PDF
comes last, from the HTML or LaTeX just written, because it runs an outside program.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from grader.errors import UsageError
from grader.exam.paper import Paper
from grader.exam.pdf import Renderer
from grader.exam.render import FORMATS, render_paper

PDF_SOURCES = ".pdf-sources"  # staging subfolder for HTML/TeX made only to print PDFs


@dataclass(frozen=True)
class Output:
    stage: Path
    formats: tuple[str, ...]
    templates: Path | None
    pdf: Renderer | None = None  # looked up once, when pdf is requested

    def text_formats(self) -> list[str]:
        """The formats rendered by Jinja: those requested plus the PDF's source."""
        wanted = [f for f in self.formats if f != "pdf"]
        if self.pdf and self.pdf.source not in wanted:
            wanted.append(self.pdf.source)
        return wanted


def parse_formats(text: str) -> tuple[str, ...]:
    """"md,html" -> ("md", "html"); unknown names are a usage error."""
    names = tuple(dict.fromkeys(n.strip().lower() for n in text.split(",") if n.strip()))
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise UsageError(f"--format: unknown format {unknown[0] if unknown else text!r}; choose from "
                         f"{', '.join(FORMATS)} (comma-separated)")
    return names


def write_paper(paper: Paper, paper_path: str, key_path: str, out: Output) -> None:
    """Render the paper and its key in every text format under the stage."""
    for fmt in out.text_formats():
        folder = out.stage if fmt in out.formats else out.stage / PDF_SOURCES
        for relative, text in zip((paper_path, key_path), render_paper(paper, fmt, out.templates)):
            target = folder / f"{relative}.{fmt}"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))


def print_pdfs(out: Output, relatives: list[str], jobs: int) -> None:
    """Print every paper and key written so far to PDF, then drop the sources nobody asked for."""
    if out.pdf:
        folder = out.stage if out.pdf.source in out.formats else out.stage / PDF_SOURCES
        out.pdf.print_all([(folder / f"{relative}.{out.pdf.source}", out.stage / f"{relative}.pdf")
                           for relative in relatives], jobs)
    shutil.rmtree(out.stage / PDF_SOURCES, ignore_errors=True)
