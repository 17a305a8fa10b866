"""A class's submissions as an LMS exports them: one entry per student, a folder or a .zip,
named by student id, holding any subset of the exercises' stub files (nested or not).

Only stub files are taken (matched by file name); everything else in a submission is
ignored, and nothing is ever extracted to disk: zip members are read into memory, within
size limits, so a zip bomb or a path like ../../x cannot hurt. An entry that cannot be
graded (not a folder or a zip, a broken zip, empty, no stub file, two files of one name)
becomes a row of its own with the reason; it never stops the class.
"""

from __future__ import annotations

import hashlib
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from grader.course import Exercise
from grader.errors import UsageError

MAX_FILE_BYTES = 1 << 20
MAX_MEMBERS = 2000
IGNORED = ("__MACOSX", ".DS_Store", "__pycache__", ".git")


@dataclass(frozen=True)
class Submission:
    student: str
    files: dict[str, bytes] = field(default_factory=dict)  # exercise id -> the stub file's bytes
    problems: dict[str, str] = field(default_factory=dict)  # exercise id (or "*") -> why it is not graded

    def digest(self, exercise: str) -> str:
        return hashlib.sha256(self.files[exercise]).hexdigest()


def discover(folder: Path, exercises: list[Exercise]) -> list[Submission]:
    """Every student entry in `folder`, in name order."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder; pass the folder holding one folder or .zip per student")
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith(".") and p.name not in IGNORED)
    if not entries:
        raise UsageError(f"{folder}: holds no submissions (expected one folder or .zip per student)")
    return [read_entry(entry, exercises) for entry in entries]


def read_entry(entry: Path, exercises: list[Exercise]) -> Submission:
    student = entry.stem if entry.suffix.lower() == ".zip" else entry.name
    if not entry.is_dir() and entry.suffix.lower() != ".zip":
        return Submission(student, problems={"*": f"{entry.name} is neither a folder nor a .zip"})
    try:
        return _match(student, _folder_members(entry) if entry.is_dir() else _zip_members(entry), exercises)
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, zlib.error) as exc:
        return Submission(student, problems={"*": f"{entry.name} cannot be read: {exc}"})


Members = dict[str, tuple[int, Callable[[], bytes]]]  # relative path -> (size, how to read it)
LINK = -1  # the size given to a symbolic link: listed, so it can be named, but never read


def _kept(parts: tuple[str, ...] | list[str]) -> bool:
    return not any(p in IGNORED or p.startswith(".") for p in parts)


def _folder_members(folder: Path) -> Members:
    """Every file under `folder` (hidden and tool folders left out, links listed but not followed)."""
    out: Members = {}
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if path.is_symlink() and _kept(parts):
            out["/".join(parts)] = (LINK, bytes)
        elif path.is_file() and _kept(parts):
            out["/".join(parts)] = (path.stat().st_size, path.read_bytes)
    return out


def _zip_members(path: Path) -> Members:
    """Every file in the zip, read into memory on demand and never past MAX_FILE_BYTES."""
    def reader(name: str) -> Callable[[], bytes]:
        def read() -> bytes:
            with zipfile.ZipFile(path) as archive, archive.open(name) as stream:
                return stream.read(MAX_FILE_BYTES + 1)[:MAX_FILE_BYTES + 1]
        return read
    with zipfile.ZipFile(path) as archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > MAX_MEMBERS:
            raise ValueError(f"it holds {len(infos)} files (at most {MAX_MEMBERS})")
        return {i.filename: (LINK if _is_link(i) else i.file_size, reader(i.filename))
                for i in infos if _kept(i.filename.split("/"))}


def _is_link(info: zipfile.ZipInfo) -> bool:
    """A symbolic link stored by a Unix zip (its mode in the high bits of external_attr)."""
    return stat.S_ISLNK(info.external_attr >> 16)


def _match(student: str, members: Members, exercises: list[Exercise]) -> Submission:
    if not members:
        return Submission(student, problems={"*": "the submission is empty"})
    files, problems = {}, {}
    for exercise in exercises:
        found = sorted(name for name in members if name.rsplit("/", 1)[-1] == exercise.file)
        if len(found) > 1:
            problems[exercise.id] = f"{len(found)} files are named {exercise.file} ({', '.join(found[:3])}): keep one"
        elif found and members[found[0]][0] == LINK:
            problems[exercise.id] = f"{found[0]} is a symbolic link, which is not followed: submit the file itself"
        elif found:
            content = members[found[0]][1]() if members[found[0]][0] <= MAX_FILE_BYTES else b""
            if not content or len(content) > MAX_FILE_BYTES:
                problems[exercise.id] = f"{found[0]} is empty or larger than 1 MiB"
            else:
                files[exercise.id] = content
    if not files and not problems:
        names = ", ".join(e.file for e in exercises)
        problems["*"] = f"holds none of the exercise files ({names}); found {', '.join(list(members)[:3])}"
    return Submission(student, files, problems)

