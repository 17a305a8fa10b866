"""A class's submissions as an LMS exports them: one entry per student, a folder or a .zip,
named by student id, holding any subset of the exercises' stub files (nested or not).

Only stub files are taken (matched by their exact file name); everything else in a submission
is ignored, and nothing is ever extracted to disk: zip members are read into memory, within
size limits, so a zip bomb or a path like ../../x cannot hurt. An entry that cannot be graded
(not a folder or a zip, a broken zip, empty, no stub file, two entries or two files of one
name) becomes a row of its own with the reason, and so does a file that cannot be read (an
encrypted or damaged member, over 1 MiB); neither ever stops the class. Names that are not
valid text (an LMS zip unpacked under another locale) are shown with backslash escapes.
"""

from __future__ import annotations

import re
import stat
import zipfile
from collections import defaultdict
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
    notes: tuple[str, ...] = ()  # what the instructor should know about the entry (its name)
    origins: dict = field(default_factory=dict)  # exercise id -> the notebook its code came from (notebook.entries)


def discover(folder: Path, exercises: list[Exercise]) -> list[Submission]:
    """Every student entry in `folder`, in name order; entries sharing an id become one row."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder; pass the folder holding one folder or .zip per student")
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith(".") and p.name not in IGNORED)
    if not entries:
        raise UsageError(f"{folder}: holds no submissions (expected one folder or .zip per student)")
    by_id: dict[str, list[Path]] = defaultdict(list)
    for entry in entries:
        by_id[student_id(entry)].append(entry)
    return [read_entry(paths[0], exercises) if len(paths) == 1 else _clash(student, paths)
            for student, paths in sorted(by_id.items())]


def student_id(entry: Path) -> str:
    """The id an entry stands for: its name, without .zip (any case), as printable text."""
    return printable(_raw_id(entry))


def _raw_id(entry: Path) -> str:
    return entry.stem if _is_zip(entry) else entry.name


def printable(name: str) -> str:
    """`name` as text that stores, prints and encodes anywhere, one name to one text: a byte that
    was not UTF-8 (decoded with surrogateescape) becomes \\xNN, an unprintable character \\xNN
    or \\uNNNN, and a backslash \\\\ (so every escape is told apart from the name's own text)."""
    out = []
    for char in name.replace("\\", "\\\\"):
        if "\udc80" <= char <= "\udcff":
            out.append(f"\\x{ord(char) - 0xDC00:02x}")
        else:
            out.append(char if char.isprintable() else char.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def read_entry(entry: Path, exercises: list[Exercise]) -> Submission:
    student = student_id(entry)
    notes = () if student == _raw_id(entry) else (
        f"the entry's name is not plain text (bytes of another encoding, or control characters): shown as "
        f"{student}; rename the entry to the student's id",)
    if not entry.is_dir() and not _is_zip(entry):
        return Submission(student, problems={"*": f"{printable(entry.name)} is neither a folder nor a .zip"}, notes=notes)
    try:
        files, problems, origins = _match(_folder_members(entry) if entry.is_dir() else _zip_members(entry), exercises)
    except Exception as exc:  # noqa: BLE001 - a hostile or damaged entry costs its own row, never the class
        return Submission(student, problems={"*": f"{printable(entry.name)} cannot be read: {_why(exc)}"}, notes=notes)
    return Submission(student, files, problems, notes, origins)


def _is_zip(entry: Path) -> bool:
    return entry.suffix.lower() == ".zip"


def _clash(student: str, paths: list[Path]) -> Submission:
    names = ", ".join(printable(p.name) for p in paths)
    return Submission(student, problems={"*": f"{len(paths)} entries stand for the id {student} ({names}): keep one"})


def _why(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "its file names are not valid UTF-8, although the zip says they are"
    return str(exc) or type(exc).__name__


Members = dict[str, tuple[int, Callable[..., bytes]]]  # relative path -> (size, how to read it, up to a limit)
LINK = -1  # the size given to a symbolic link: listed, so it can be named, but never read


def _parts(name: str) -> list[str]:
    """A member's path, split at / and at the backslash some Windows zips store."""
    return re.split(r"[/\\]", name)


def _kept(parts: tuple[str, ...] | list[str]) -> bool:
    return not any(p in IGNORED or p.startswith(".") for p in parts)


def _folder_members(folder: Path) -> Members:
    """Every file under `folder` (hidden and tool folders left out, links listed but not followed)."""
    def reader(path: Path) -> Callable[[], bytes]:
        def read(limit: int = MAX_FILE_BYTES) -> bytes:
            with path.open("rb") as stream:
                return stream.read(limit + 1)
        return read
    out: Members = {}
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if path.is_symlink() and _kept(parts):
            out["/".join(parts)] = (LINK, bytes)
        elif path.is_file() and _kept(parts):
            out["/".join(parts)] = (path.stat().st_size, reader(path))
    return out


def _zip_members(path: Path) -> Members:
    """Every file in the zip, read into memory on demand and never past MAX_FILE_BYTES."""
    def reader(info: zipfile.ZipInfo) -> Callable[[], bytes]:
        def read(limit: int = MAX_FILE_BYTES) -> bytes:
            if info.flag_bits & 0x1:
                raise ValueError("it is encrypted (a password-protected zip): zip it again without a password")
            with zipfile.ZipFile(path) as archive, archive.open(info) as stream:
                return stream.read(limit + 1)
        return read
    with zipfile.ZipFile(path) as archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > MAX_MEMBERS:
            raise ValueError(f"it holds {len(infos)} files (at most {MAX_MEMBERS})")
        return {i.filename: (LINK if _is_link(i) else i.file_size, reader(i)) for i in infos if _kept(_parts(i.filename))}


def _is_link(info: zipfile.ZipInfo) -> bool:
    """A symbolic link stored by a Unix zip (its mode in the high bits of external_attr)."""
    return stat.S_ISLNK(info.external_attr >> 16)


class _Unreadable(Exception):
    """Why one file of a submission cannot be graded."""


def _match(members: Members, exercises: list[Exercise]) -> tuple[dict[str, bytes], dict[str, str], dict]:
    """The stub files found (exercise id -> bytes), and why others cannot be graded."""
    if not members:
        return {}, {"*": "the submission is empty"}, {}
    files, problems = {}, {}
    for exercise in exercises:
        found = sorted(name for name in members if _parts(name)[-1] == exercise.file)
        if len(found) > 1:
            shown = ", ".join(printable(name) for name in found[:3])
            problems[exercise.id] = f"{len(found)} files are named {exercise.file} ({shown}): keep one"
        elif found:
            try:
                files[exercise.id] = _read(printable(found[0]), *members[found[0]])
            except _Unreadable as exc:
                problems[exercise.id] = str(exc)
    origins = {}
    notebooks = {name: members[name] for name in members if name.lower().endswith(".ipynb")}
    if notebooks:
        files, problems, origins = _with_notebooks(notebooks, [e for e in exercises if e.id not in files and
                                                               e.id not in problems], files, problems)
    if not files and not problems:
        names = ", ".join(e.file for e in exercises)
        seen = ", ".join(printable(name) for name in list(members)[:3])
        problems["*"] = f"holds none of the exercise files ({names}); found {seen}"
    return files, problems, origins


def _with_notebooks(notebooks: Members, exercises: list[Exercise], files: dict, problems: dict):
    """The stub files, plus the code of the notebooks for the exercises no stub file answers."""
    from grader.notebook.entries import MAX_NOTEBOOK_BYTES, from_notebooks

    readable = {}
    for name, (size, read) in notebooks.items():
        if size != LINK and 0 < size <= MAX_NOTEBOOK_BYTES:
            try:
                content = read(MAX_NOTEBOOK_BYTES)
            except Exception:  # noqa: BLE001 - a damaged member is skipped like any unreadable file
                continue
            if len(content) <= MAX_NOTEBOOK_BYTES:
                readable[name] = content
    found, origins, why = from_notebooks(readable, exercises)
    return {**files, **found}, {**problems, **why}, origins


def _read(shown: str, size: int, read: Callable[[], bytes]) -> bytes:
    """A member's bytes (never more than MAX_FILE_BYTES + 1 are read); _Unreadable says why not."""
    if size == LINK:
        raise _Unreadable(f"{shown} is a symbolic link, which is not followed: submit the file itself")
    try:
        content = read()
    except Exception as exc:  # noqa: BLE001 - a damaged or encrypted member costs this file only
        raise _Unreadable(f"{shown} cannot be read: {_why(exc)}") from None
    if not content or len(content) > MAX_FILE_BYTES:
        raise _Unreadable(f"{shown} is empty or larger than 1 MiB")
    return content
