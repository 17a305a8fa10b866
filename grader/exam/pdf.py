"""PDF from the HTML papers (headless Chromium, which lays out MathML) or from the LaTeX
papers (a TeX engine), whichever this machine has; if neither, say what to install.

The renderer is looked up once per command, before any paper is drawn, and then prints
every paper and key: Chromium in one browser session (`grader.exam.chromium`), TeX as
parallel engine runs. Chromium writes a creation date into each PDF, so PDFs, unlike the
other outputs, are not byte-identical between runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from grader.errors import GraderError, UsageError
from grader.exam import chromium

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
# pdflatex first: the templates are tested with it, and Debian's texlive-latex-base ships a
# lualatex that cannot load fonts until texlive-luatex is installed too.
TEX_ENGINES = ("pdflatex", "xelatex", "lualatex")


@dataclass(frozen=True)
class Renderer:
    source: str  # the format PDFs are made from: "html" or "tex"
    program: str  # Chromium or the TeX engine

    def print_all(self, pairs: list[tuple[Path, Path]], jobs: int) -> None:
        """Make every (source, target) PDF, `jobs` at a time, creating the targets' folders."""
        for folder in sorted({target.parent for _source, target in pairs}):
            folder.mkdir(parents=True, exist_ok=True)  # ours to make: md/html/tex may not have made it
        if self.source == "html":
            chromium.print_all(self.program, pairs, jobs)
            return
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            for future in [pool.submit(tex_to_pdf, self.program, src, dst) for src, dst in pairs]:
                future.result()


def find_chromium() -> str | None:
    """A headless-capable Chromium: $GENGRADE_CHROMIUM, else the first on PATH."""
    override = os.environ.get("GENGRADE_CHROMIUM")
    if override:
        return shutil.which(override)
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def find_tex() -> str | None:
    """A LaTeX engine on PATH."""
    return next((path for name in TEX_ENGINES if (path := shutil.which(name))), None)


def renderer() -> Renderer:
    """Chromium, else a TeX engine; exit 2 with install advice when neither exists."""
    program = find_chromium()
    if program:
        return Renderer("html", program)
    program = find_tex()
    if program:
        return Renderer("tex", program)
    raise UsageError("PDF output needs headless Chromium or a TeX engine, and neither is on PATH. Install one "
                     "(Debian/Ubuntu: `apt-get install chromium` or `apt-get install texlive-latex-recommended`; "
                     "or set GENGRADE_CHROMIUM to a Chrome binary), or leave pdf out of --format.")


def tex_to_pdf(engine: str, source: Path, target: Path, timeout: float = 120) -> None:
    """Compile one .tex file; on failure show TeX's own first error."""
    with tempfile.TemporaryDirectory(prefix="gengrade-tex-") as build:
        command = [engine, "-interaction=nonstopmode", "-halt-on-error", f"-output-directory={build}", str(source)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False,
                              cwd=source.parent, env={**os.environ, "max_print_line": "10000"})  # unwrapped log
        produced = Path(build) / (source.stem + ".pdf")
        if done.returncode != 0 or not produced.exists():
            raise GraderError(f"{Path(engine).name} could not compile {source.name}: {tex_error(done.stdout)}")
        chromium.write_pdf(target, produced.read_bytes())


def tex_error(log: str) -> str:
    """TeX's first `! ...` message with the input line it names, else the log's last line."""
    lines = log.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("!"):
            where = next((rest for rest in lines[index + 1:index + 12] if rest.startswith("l.")), "")
            return f"{line[1:].strip()} {where}".strip()
    tail = [line for line in lines if line.strip()]
    return tail[-1] if tail else "no output"
