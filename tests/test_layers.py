"""Each isolation layer pinned on its own.

tests/catalog/hostile/_layers.py reports, from inside the sandbox, which syscalls, paths, sizes
and memory routes succeed; the report is asserted exactly for each isolation kind, in a fresh
`check` and in a class-grading lane, under bubblewrap and under Landlock. A layer that stops an
attack another layer also stops is still pinned here, by a route only it stops (seccomp's kill
rule under bubblewrap, where the pid namespace hides the grader anyway; the AF_INET rule and the
network namespace, each seen on its own). The probe run unconfined finds every route open, so a
"refused" in the report is the sandbox's doing. The memory one run can hold, through every route
at once, stays under the figure the README states. From a wheel installed in a fresh environment,
the course it bundles stays out of the sandbox, and no release or autograder is built from it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

from grader import course
from grader.check import api, isolation
from grader.grade.lane import Lane

from isolation_marks import BUBBLEWRAP, LANDLOCK

C5 = course.exercise_by_id("c5")
PROBE = Path(__file__).parent / "catalog" / "hostile" / "_layers.py"
ROOT = Path(__file__).resolve().parents[1]
MEMORY_MB = 1024
HONEST_SCORE = 2  # what the probe's fallback (a zero loss) earns on c5: the public shape check and inputs unchanged (the device is judged only for a right loss)
KINDS = [pytest.param("bubblewrap", marks=BUBBLEWRAP), pytest.param("landlock", marks=LANDLOCK),
         pytest.param("bubblewrap-lane", marks=BUBBLEWRAP), pytest.param("landlock-lane", marks=LANDLOCK)]

# The only syscalls that go through: AF_UNIX socket pairs everywhere, AF_UNIX sockets in bubblewrap's
# empty network namespace (a lane's children refuse every socket, as Landlock children do).
OPEN_SYSCALLS = {"bubblewrap": {"pair", "unix"}, "landlock": {"pair"}, "bubblewrap-lane": {"pair"},
                 "landlock-lane": {"pair"}}
NOTHING_SHOWN = {"passwd": False, "secrets": [], "canary": False, "grader_check": False, "grader_grade": False,
                 "solutions": False, "w_canary": False, "w_root": False, "w_dev": False, "w_shm": False}
SANDBOX_PART = ["__init__.py", "sandbox"]  # all of the grader package that bubblewrap shows
PATHS = {
    "bubblewrap": {"grader": SANDBOX_PART, "init": "bwrap", "interfaces": ["lo"], "nobody": True, "hostname": True,
                   "w_tmp": True, "w_folder": True},
    "landlock": {"grader": None, "init": None, "interfaces": None, "nobody": False, "hostname": False,
                 "w_tmp": False, "w_folder": False},
    "bubblewrap-lane": {"grader": SANDBOX_PART, "init": None, "interfaces": None, "nobody": True, "hostname": True,
                        "w_tmp": False, "w_folder": True},
    "landlock-lane": {"grader": None, "init": None, "interfaces": None, "nobody": False, "hostname": False,
                      "w_tmp": False, "w_folder": False},
}
# The README's figure: what one run can hold at most, beyond --memory (its address space).
FILES_MIB = {"bubblewrap": 128, "bubblewrap-lane": 128, "landlock": 16, "landlock-lane": 16}  # 2 x 64 MiB tmpfs; a lane's 128 MiB; its own file
FOLDER_MIB = {"bubblewrap": 64, "bubblewrap-lane": 128, "landlock": 16, "landlock-lane": 16}  # its folder alone


def kernel_mib() -> float:
    """Kernel buffers: 256 descriptors, each a socket holding its default send buffer and one
    64 KiB message beyond it (pipes hold less: 64 KiB each)."""
    default = int(Path("/proc/sys/net/core/wmem_default").read_text())
    return 256 * (default + 65536) / (1 << 20)


def secrets() -> list[str]:
    """c5's hidden suite and reference in the course and in every installed copy of the package
    (an editable install bundles the course too), also by the paths a symbolic link leads there
    (a venv's lib64 -> lib)."""
    courses = [course.course_root()] + [Path(h, "_course") for h in isolation.hidden_paths()]
    files = [c / "solutions" / "c5" / name for c in courses for name in ("test_c5.py", C5.file)]
    aliases = [Path(str(f).replace("/lib/", "/lib64/", 1)) for f in files]
    return sorted({str(f) for f in files + aliases if f.is_file()})


def probe_source(canary: Path, full: bool = True, secret_files: list[str] | None = None) -> str:
    source = PROBE.read_text().replace("__FULL__", str(full)).replace("__MEMORY_MB__", str(MEMORY_MB))
    return source.replace("__SECRETS__", repr(secrets() if secret_files is None else secret_files)).replace(
        "__CANARY__", str(canary))


def layers(output: str) -> dict:
    match = re.search(r"^LAYERS (\{.*\})$", output, re.M)
    assert match, output
    return json.loads(match.group(1))


@pytest.fixture
def canary(tmp_path):
    folder = tmp_path / "canary"
    folder.mkdir()
    (folder / "precious.txt").write_text("keep me\n")
    return folder


def submitted(folder: Path, source: str) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(C5.stub_dir / "exercise.toml", folder)
    (folder / C5.file).write_text(source)
    return folder / C5.file


def reports(kind: str, source: str, tmp_path: Path) -> tuple[list[dict], list[str]]:
    """The probe's reports under `kind`: one for a fresh check; two, one after the other, on one
    lane, and what the lane's runs left in its folder on the host (under bubblewrap that folder
    is a tmpfs of its own, where the second run finds the room the first had)."""
    base = kind.removesuffix("-lane")
    if base == kind:
        report = api.check_submission(C5, submitted(tmp_path / "c5", source), timeout_s=30, memory_mb=MEMORY_MB,
                                      isolation=isolation.choose(kind))
        assert report.score == HONEST_SCORE, report
        return [layers(report.output)], []
    lane = Lane([C5], isolation.choose(base), memory_mb=MEMORY_MB)
    try:
        found = []
        for seed in (1, 2):
            run = lane.start(C5.id, source.encode(), seed, 30)
            report = api.judge(C5, run.collect, seed, C5.file, time.monotonic())
            assert report.score == HONEST_SCORE, report
            found.append(layers(report.output))
        runs = Path(lane.tmp, "runs")
        return found, sorted(os.listdir(runs)) if runs.is_dir() else []
    finally:
        lane.close()


@pytest.mark.parametrize("kind", KINDS)
def test_each_layer_holds_on_its_own(kind, tmp_path, canary):
    found, left = reports(kind, probe_source(canary), tmp_path)
    report = found[0]
    assert {name for name, ok in report["syscalls"].items() if ok} == OPEN_SYSCALLS[kind]
    assert report["paths"] == {**NOTHING_SHOWN, **PATHS[kind]}
    sizes = report["sizes"]
    assert (sizes["own_file"], sizes["fsize17"]) == (15, False)  # 16 MiB a file, its own included
    assert FOLDER_MIB[kind] - 4 <= sizes["own_file"] + sizes["folder"] <= FOLDER_MIB[kind]
    assert 60 <= sizes["tmp"] <= 64 if kind == "bubblewrap" else sizes["tmp"] == 0
    assert [sizes[k] for k in ("root", "dev", "shm", "memfd", "tmpfile", "sysv")] == [0] * 6
    assert sizes["pipes"] <= 2 and sizes["sockets"] <= kernel_mib() and 0 < sizes["heap"] <= MEMORY_MB
    held = sum(v for k, v in sizes.items() if k != "fsize17")
    assert held <= MEMORY_MB + FILES_MIB[kind] + kernel_mib(), sizes
    if len(found) == 2:  # the second run on the lane found the same room: the first run's folder was deleted
        assert found[1]["sizes"]["folder"] == sizes["folder"] and found[1]["syscalls"] == report["syscalls"]
    assert left == []


def test_unconfined_the_probe_finds_every_route_open(tmp_path, canary):
    """Without isolation (limits only) each route the report says is refused goes through, so the
    report tells the sandbox's refusals from the probe's own failures."""
    report = api.check_submission(C5, submitted(tmp_path / "c5", probe_source(canary, full=False)), timeout_s=30,
                                  isolation=isolation.NONE)
    found = layers(report.output)
    privileged = {"rlimit_raise", "bpf", "userfaultfd", "io_uring"}  # an unprivileged user may be refused anyway
    assert {name for name, ok in found["syscalls"].items() if not ok} <= privileged
    paths = found["paths"]
    assert paths["secrets"] == secrets() and len(secrets()) >= 2
    assert all(paths[k] for k in ("passwd", "canary", "grader_check", "grader_grade", "solutions"))
    assert "check" in paths["grader"] and "lo" in paths["interfaces"] and len(paths["interfaces"]) > 1


@pytest.fixture(scope="module")
def wheel_env(tmp_path_factory):
    """A fresh virtual environment with gengrade installed from a wheel built here (the course
    bundled in grader/_course), seeing this environment's other packages."""
    where = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                    where / "dist", ROOT], check=True, capture_output=True)
    env = where / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", env], check=True)
    packages = Path(subprocess.run([env / "bin/python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   check=True, capture_output=True, text=True).stdout.strip())
    # plain paths, not processed as site dirs, so this checkout's editable install stays out
    (packages / "parent-environment.pth").write_text(f"{sysconfig.get_paths()['purelib']}\n")
    wheel = next((where / "dist").glob("gengrade-*.whl"))
    subprocess.run([env / "bin/python", "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel],
                   check=True, capture_output=True)
    assert (packages / "grader" / "_course" / "solutions" / "c5" / "test_c5.py").is_file()
    return env, packages / "grader"


def gengrade(env: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    variables = {**{k: v for k, v in os.environ.items() if k != "GENGRADE_HOME"}, **extra}
    return subprocess.run([env / "bin/gengrade", *args], capture_output=True, text=True, cwd="/", env=variables,
                          timeout=180)


@pytest.mark.parametrize("kind", KINDS[:2])
def test_a_wheel_keeps_its_bundled_course_out_of_the_sandbox(wheel_env, kind, tmp_path, canary):
    env, package = wheel_env
    hidden = [package / "_course/solutions/c5" / name for name in ("test_c5.py", C5.file)]
    hidden += [Path(str(path).replace("/lib/", "/lib64/", 1)) for path in hidden]  # the venv's lib64 -> lib
    assert all(path.is_file() for path in hidden)
    folder = submitted(tmp_path / "c5", probe_source(canary, full=False, secret_files=[str(p) for p in hidden])).parent
    done = gengrade(env, "check", str(folder), "--json", GENGRADE_ISOLATION=kind)
    report = json.loads(done.stdout)
    assert report["score"] == HONEST_SCORE, done.stdout + done.stderr
    paths = layers(report["output"])["paths"]
    assert paths["secrets"] == [] and not any(paths[k] for k in ("solutions", "grader_check", "grader_grade", "passwd"))
    assert paths["grader"] == (SANDBOX_PART if kind == "bubblewrap" else None)


def test_a_wheel_builds_no_release_and_no_autograder(wheel_env, tmp_path):
    """Both would start from the installed package, whose _course holds every solution: they refuse."""
    env, _ = wheel_env
    for args in (["release", str(tmp_path / "handout")], ["export", "gradescope", str(tmp_path / "autograder.zip")]):
        done = gengrade(env, *args)
        assert done.returncode == 2 and "build handouts from a clone" in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == []
