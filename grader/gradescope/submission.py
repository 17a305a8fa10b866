"""Find an exercise's file in whatever a student uploaded to Gradescope.

Students upload their stub files loose, inside folders, or zipped. Every regular file is a
candidate, and so is every member of an uploaded .zip (read in place, never extracted);
links, dot-files and macOS's __MACOSX folders are not. An exercise's file is the candidate
named like its stub; among several, the one in a folder named after the exercise wins,
then the shallowest, then the first by path, and the choice is reported. A .zip that cannot
be opened is remembered as damaged, so a file missing because of it is reported as such.
No file is ever read past MAX_BYTES.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable

MAX_BYTES = 1 << 20  # a stub solution is a few KiB; more than this is not one


class Unreadable(Exception):
    """The file was found but cannot be read; the message says why, in the student's terms."""


@dataclass(frozen=True)
class Candidate:
    shown: str  # where the student put it: "c1/reparameterize.py" or "work.zip: c1/reparameterize.py"
    parts: tuple[str, ...]
    read: Callable[[], bytes]

    @property
    def name(self) -> str:
        return self.parts[-1]


def candidates(folder: Path, damaged: dict[str, str] | None = None) -> list[Candidate]:
    """Every file of the submission folder and of the .zip files in it, in path order; each .zip
    that cannot be opened goes into `damaged` (shown name -> why)."""
    found = []
    for here, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not _ignored(d))
        for name in sorted(files):
            path = Path(here) / name
            if _ignored(name) or path.is_symlink() or not path.is_file():
                continue
            parts = path.relative_to(folder).parts
            found.append(Candidate(_printable("/".join(parts)), parts, _file_reader(path)))
            if name.lower().endswith(".zip"):
                found.extend(_members(path, _printable("/".join(parts)), {} if damaged is None else damaged))
    return found


def choose(found: list[Candidate], file_name: str, exercise_id: str) -> tuple[Candidate | None, list[Candidate]]:
    """The candidate to grade as `file_name`, and all that were named so."""
    named = [c for c in found if c.name == file_name]
    ranked = sorted(named, key=lambda c: (len(c.parts) < 2 or c.parts[-2] != exercise_id, len(c.parts), c.shown))
    return (ranked[0] if ranked else None), named


def _printable(name: str) -> str:
    """A file name as text that prints and encodes anywhere (undecodable bytes become U+FFFD)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _ignored(name: str) -> bool:
    return name.startswith(".") or name == "__MACOSX"


def _file_reader(path: Path) -> Callable[[], bytes]:
    def read() -> bytes:
        try:
            if path.stat().st_size > MAX_BYTES:
                raise Unreadable(f"it is larger than {MAX_BYTES >> 10} KiB")
            with path.open("rb") as stream:
                return _bounded(stream.read(MAX_BYTES + 1))  # it may have grown since
        except OSError as exc:
            raise Unreadable(exc.strerror or str(exc)) from None
    return read


def _bounded(data: bytes) -> bytes:
    if len(data) > MAX_BYTES:
        raise Unreadable(f"it is larger than {MAX_BYTES >> 10} KiB")
    return data


def _members(path: Path, shown: str, damaged: dict[str, str]) -> list[Candidate]:
    """The regular files inside an uploaded zip; a zip that cannot be opened has none, and goes
    into `damaged` with the reason."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir()]
    except Exception as exc:  # noqa: BLE001 - BadZipFile, a bad header (struct.error), names not UTF-8, ...
        damaged[shown] = str(exc) or type(exc).__name__
        return []
    out = []
    for info in sorted(infos, key=lambda i: i.filename):
        parts = tuple(p for p in PurePosixPath(info.filename).parts if p not in ("", "/"))
        if parts and not any(_ignored(p) for p in parts) and not _is_link(info):
            out.append(Candidate(f"{shown}: {'/'.join(parts)}", parts, _member_reader(path, info)))
    return out


def _is_link(info: zipfile.ZipInfo) -> bool:
    return (info.external_attr >> 16) & 0o170000 == 0o120000


def _member_reader(path: Path, info: zipfile.ZipInfo) -> Callable[[], bytes]:
    def read() -> bytes:
        if info.file_size > MAX_BYTES:
            raise Unreadable(f"it is larger than {MAX_BYTES >> 10} KiB")
        if info.flag_bits & 0x1:
            raise Unreadable("it is encrypted (the zip has a password); upload it without one")
        try:
            with zipfile.ZipFile(path) as archive, archive.open(info) as stream:
                data = stream.read(MAX_BYTES + 1)
        except Exception as exc:  # noqa: BLE001 - BadZipFile (a CRC), zlib.error, EOFError, an unknown method...
            raise Unreadable(f"the zip file is damaged ({exc})") from None
        return _bounded(data)
    return read
