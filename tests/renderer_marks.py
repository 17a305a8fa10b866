"""Skip markers for tests that need a PDF renderer, which become failures where one is required.

Without Chromium or a TeX engine the PDF and rendering tests skip and say why. CI sets
GENGRADE_REQUIRE_RENDERERS=1 (as it sets GENGRADE_REQUIRE_ISOLATION): there the renderers the
README relies on must exist, so a missing one fails the run instead of quietly skipping it.
"""

from __future__ import annotations

import os
import shutil

import pytest

from grader.exam import pdf

REQUIRED = os.environ.get("GENGRADE_REQUIRE_RENDERERS") == "1"
HAS_CHROMIUM = pdf.find_chromium() is not None
HAS_TEX = pdf.find_tex() is not None


def needs(available: object, what: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(not (available or REQUIRED), reason=f"no {what} (GENGRADE_REQUIRE_RENDERERS=1 fails instead)")


CHROMIUM = needs(HAS_CHROMIUM, "headless Chromium (apt-get install chromium)")
TEX = needs(HAS_TEX, "TeX engine (apt-get install texlive-latex-recommended)")
PDFLATEX = needs(shutil.which("pdflatex"), "pdflatex on PATH (apt-get install texlive-latex-recommended)")
ANY_PDF = needs(HAS_CHROMIUM or HAS_TEX, "PDF renderer: Chromium or a TeX engine (apt-get install chromium)")
