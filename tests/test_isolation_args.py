"""The pure pieces of isolation, without a sandbox: bubblewrap's arguments, what Landlock is told
to allow, and the seccomp filter as libseccomp compiles it. (What each layer does once applied
is pinned from inside the sandbox by tests/test_layers.py.)"""

from __future__ import annotations

import tempfile

import pytest

from grader.check import isolation as iso
from grader.sandbox import confine


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
    covered = iso._cover(str(venv), (str(hidden),))
    assert covered == [str(venv / "bin"), str(venv / "lib" / "site-packages" / "torch")]
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
