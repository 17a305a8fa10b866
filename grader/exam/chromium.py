"""Print HTML files to PDF in one headless Chromium session, several pages at a time.

A Chromium process per PDF spends most of its time starting up, so one browser prints
every paper and key of an exam: Playwright drives the machine's own Chromium (no browser
download) over the DevTools protocol, and each of `pages` tabs takes the next file as
soon as it is free. A4, 1 cm margins, backgrounds printed (the key's green marks).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path

from grader.errors import GraderError, UsageError

FLAGS = ("--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync")
PAPER = {"format": "A4", "print_background": True, "margin": {side: "1cm" for side in ("top", "right", "bottom", "left")}}
_NOISE = re.compile(r"dbus|Failed to connect to the bus|Fontconfig", re.IGNORECASE)
_ERR = re.compile(r"^\s*(?:- )?\[pid=\d+\]\[err\] ?(.*)$")


def print_all(chromium: str, pairs: list[tuple[Path, Path]], pages: int, timeout: float = 120) -> None:
    """Print every (html, pdf) pair with one browser; GraderError names what failed."""
    try:
        from playwright.async_api import async_playwright  # noqa: F401  (checked before Chromium starts)
    except ImportError:
        raise UsageError("PDF through Chromium needs the Python package playwright; reinstall gengrade "
                         "(`pip install -e .`) or run `pip install playwright`") from None
    if pairs:
        asyncio.run(_print_all(chromium, pairs, max(1, min(pages, len(pairs))), timeout))


async def _print_all(chromium: str, pairs: list[tuple[Path, Path]], pages: int, timeout: float) -> None:
    from playwright.async_api import Error, async_playwright

    async with async_playwright() as driver:
        try:
            browser = await driver.chromium.launch(executable_path=chromium, args=list(FLAGS), timeout=timeout * 1000)
        except Error as exc:
            raise GraderError(f"Chromium ({chromium}) did not start: {first_error(exc.message)}") from None
        try:
            # Shared by the tabs: each takes the next pair when it is free. Grouped by folder,
            # so that a tab navigates once per folder and replaces the document's content after.
            todo = iter(sorted(pairs, key=lambda pair: str(pair[0].parent)))
            tabs = [asyncio.ensure_future(_tab(browser, todo, timeout)) for _ in range(pages)]
            try:
                await asyncio.gather(*tabs)
            except BaseException:
                for tab in tabs:  # the first failure stops the others before the browser closes
                    tab.cancel()
                await asyncio.gather(*tabs, return_exceptions=True)
                raise
        finally:
            await browser.close()


async def _tab(browser, todo: Iterator[tuple[Path, Path]], timeout: float) -> None:
    from playwright.async_api import Error

    page = await browser.new_page()
    page.set_default_timeout(timeout * 1000)
    folder = None
    for source, target in todo:
        try:
            if source.parent == folder:  # a third less CPU than navigating; relative links resolve alike
                await page.set_content(source.read_text(encoding="utf-8"), wait_until="load")
            else:
                await page.goto(source.resolve().as_uri(), wait_until="load")
                folder = source.parent
            data = await page.pdf(**PAPER)
        except Error as exc:
            raise GraderError(f"Chromium could not print {source.name} to PDF: {first_error(exc.message)}") from None
        write_pdf(target, data)
    await page.close()


def write_pdf(target: Path, data: bytes) -> None:
    """Our step after the renderer's: a failure here is ours, and says so."""
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise GraderError(f"could not write {target} (the PDF itself was made): {exc.strerror}") from None


def first_error(message: str) -> str:
    """The browser's own first error line (not D-Bus chatter), else Playwright's first line."""
    said = [m.group(1).strip() for line in message.splitlines() if (m := _ERR.match(line))]
    useful = [line for line in said if line and not _NOISE.search(line)]
    return useful[0] if useful else message.strip().splitlines()[0] if message.strip() else "no message"
