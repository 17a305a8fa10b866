"""PDF from the HTML papers (headless Chromium, which lays out MathML) or from the LaTeX
papers (a TeX engine), whichever this machine has; if neither, say what to install.

Chromium writes a creation date into each PDF, so PDFs, unlike the other outputs, are
not byte-identical between runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from grader.errors import GraderError, UsageError

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TEX_ENGINES = ("pdflatex", "xelatex", "lualatex")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-pdf-header-footer", "--print-to-pdf-no-header")


def find_chromium() -> str | None:
    """A headless-capable Chromium: $GENGRADE_CHROMIUM, else the first on PATH."""
    override = os.environ.get("GENGRADE_CHROMIUM")
    if override:
        return shutil.which(override)
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def find_tex() -> str | None:
    """A LaTeX engine on PATH, preferring the Unicode-aware ones."""
    return next((path for name in TEX_ENGINES if (path := shutil.which(name))), None)


def renderer() -> tuple[str, str]:
    """("html", chromium) or ("tex", engine); exit 2 with install advice when neither exists."""
    chromium = find_chromium()
    if chromium:
        return "html", chromium
    engine = find_tex()
    if engine:
        return "tex", engine
    raise UsageError("PDF output needs headless Chromium or a TeX engine, and neither is on PATH. Install one "
                     "(Debian/Ubuntu: `apt-get install chromium` or `apt-get install texlive-latex-recommended`; "
                     "or set GENGRADE_CHROMIUM to a Chrome binary), or leave pdf out of --format.")


def html_to_pdf(chromium: str, source: Path, target: Path, timeout: float = 120) -> None:
    """Print one HTML file to PDF with headless Chromium (A4, no header or footer)."""
    with tempfile.TemporaryDirectory(prefix="gengrade-chromium-") as profile:
        command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={target}",
                   Path(source).resolve().as_uri()]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    if not target.exists() or target.stat().st_size == 0:
        raise GraderError(f"Chromium could not print {source.name} to PDF (exit {done.returncode}): "
                          f"{done.stderr.strip()[-400:]}")


def tex_to_pdf(engine: str, source: Path, target: Path, timeout: float = 120) -> None:
    """Compile one .tex file; on failure show the end of the TeX log."""
    with tempfile.TemporaryDirectory(prefix="gengrade-tex-") as build:
        command = [engine, "-interaction=nonstopmode", "-halt-on-error", f"-output-directory={build}", str(source)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False,
                              cwd=source.parent)
        produced = Path(build) / (source.stem + ".pdf")
        if done.returncode != 0 or not produced.exists():
            raise GraderError(f"{Path(engine).name} could not compile {source.name}: {done.stdout.strip()[-600:]}")
        shutil.move(str(produced), target)


def convert_all(kind: str, program: str, pairs: list[tuple[Path, Path]], jobs: int) -> None:
    """Make every (source, target) PDF, `jobs` at a time (each is a separate process)."""
    convert = html_to_pdf if kind == "html" else tex_to_pdf
    for folder in sorted({target.parent for _source, target in pairs}):
        folder.mkdir(parents=True, exist_ok=True)  # ours to make: md/html/tex may not have made it
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for future in [pool.submit(convert, program, src, dst) for src, dst in pairs]:
            future.result()
