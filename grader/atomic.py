"""Writes that never leave an output folder half-done.

Everything a command produces goes first into a staging folder beside the target (same
file system, so the final step is a rename). If anything fails before the command's
end, the staging folder is removed and the target is exactly as it was; on success each
staged file replaces its namesake with `os.replace`, which is atomic per file.
Files of the target that the command does not produce are left alone, and a file the
command would replace is only replaced with `force`: earlier output is never lost silently.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from grader.errors import UsageError


@contextlib.contextmanager
def staged_folder(target: Path, force: bool = False) -> Iterator[Path]:
    """Yield an empty staging folder; on clean exit, move its files into `target`.

    Without `force`, a staged file whose namesake already exists in `target` stops the move
    (UsageError) before anything in `target` changes."""
    shown, target = target, Path(target).resolve()  # resolved: `--out .` has a name and a parent
    if target.exists() and not target.is_dir():
        raise UsageError(f"{shown}: exists and is not a folder; choose another --out")
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=parent))
    except OSError as exc:
        raise UsageError(f"{shown}: cannot write beside it ({exc.strerror})") from None
    try:
        yield stage
        if not force:
            _refuse_overwrite(stage, target, shown)
        _publish(stage, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _refuse_overwrite(stage: Path, target: Path, shown: Path) -> None:
    """UsageError naming the files of `target` that the staged output would replace."""
    refuse_existing(shown, [str(p.relative_to(stage)) for p in stage.rglob("*") if not p.is_dir()])


def refuse_existing(target: Path, names: list[str]) -> None:
    """UsageError if any of `names` (paths relative to the folder `target`) exists: checked before
    a long job as well as after it, so a clash is reported before the work is spent."""
    clashes = sorted(name for name in names if (Path(target) / name).exists())
    if clashes:
        more = f" and {len(clashes) - 3} more" if len(clashes) > 3 else ""
        raise UsageError(f"{target}: already holds {', '.join(clashes[:3])}{more} from an earlier run; "
                         "pass --force to replace them, or choose another --out")


def _publish(stage: Path, target: Path) -> None:
    """Move every staged file to the same relative place under `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for root, _dirs, files in sorted(os.walk(stage)):
        relative = Path(root).relative_to(stage)
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in sorted(files):
            os.replace(Path(root) / name, target / relative / name)


def write_file(target: Path, data: bytes, replace: bool = True, mode: int = 0o644) -> None:
    """Write `data` to a temporary file beside `target`, then rename it over `target`.

    `replace=False` is for a user's output: an existing `target` is then a UsageError. `mode`
    defaults to readable by all (an exported quiz is meant to be shared); a key wants 0o600."""
    target = Path(target)
    if target.is_dir():
        raise UsageError(f"{target}: is a folder; --out needs a file name")
    if target.exists() and not replace:
        raise UsageError(f"{target}: already exists; pass --force to replace it, or choose another --out")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
