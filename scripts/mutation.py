"""Mutation testing of the core modules with mutmut: does each module's test file notice
when its code is changed?

    python scripts/mutation.py                       # every module in tests/mutation/modules.toml
    python scripts/mutation.py grader/exam/draws.py  # one module
    python scripts/mutation.py --jobs 2 --min 0.9    # parallel mutants; exit 1 below a 90 % kill rate

Each module is mutated by mutmut in a scratch copy of the checkout, and every mutant runs
only the tests that modules.toml maps to it (mutmut narrows them further to the tests that
call the mutated function). Survivors judged equivalent to the original (no test could
tell them apart) are listed with a reason in tests/mutation/equivalent.toml, matched by
function and by the changed line, so renumbering never hides a new survivor. The report
gives each module's kill rate over its non-equivalent mutants and shows every survivor.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "tests" / "mutation"
# outcomes where the tests noticed the change; a segfault may be the harness, so it is not one
DETECTED = {"killed", "timeout", "caught by type check"}
NAME = re.compile(r"\.x[_ǁ](?P<function>.+?)__mutmut_\d+$")


@dataclass(frozen=True)
class Mutant:
    name: str  # mutmut's id, e.g. grader.exam.draws.x_choose__mutmut_7
    status: str
    function: str
    original: str  # the changed line before and after, stripped ("" when none)
    mutated: str


def main() -> int:
    args = _arguments()
    mapping = tomllib.loads((CONFIG / "modules.toml").read_text(encoding="utf-8"))
    equivalent = tomllib.loads((CONFIG / "equivalent.toml").read_text(encoding="utf-8")).get("equivalent", [])
    worst = 1.0
    for module in args.modules or list(mapping):
        if module not in mapping:
            sys.exit(f"{module}: not in {CONFIG / 'modules.toml'}; add it with its test files")
        start = time.monotonic()
        mutants = run_module(module, mapping[module], args.jobs, args.keep)
        worst = min(worst, report(module, mutants, [e for e in equivalent if e["module"] == module],
                                  time.monotonic() - start))
    return 0 if worst >= args.min else 1


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="paths as in modules.toml (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument("--min", type=float, default=0.9, help="kill rate below which the exit code is 1")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (mutmut's own report)")
    return parser.parse_args()


def run_module(module: str, tests: list[str], jobs: int, keep: Path | None) -> list[Mutant]:
    """Every mutant mutmut makes of `module`, with its outcome against `tests`."""
    work = keep / module.replace("/", "_") if keep else Path(tempfile.mkdtemp(prefix="mutation-"))
    try:
        _scratch_copy(work, module, tests)
        with (work / "mutmut.log").open("w") as log:
            done = subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(jobs)],
                                  cwd=work, stdout=log, stderr=subprocess.STDOUT, env=_single_threaded())
        if done.returncode:
            sys.exit(f"{module}: mutmut failed (exit {done.returncode}); see {work / 'mutmut.log'} "
                     "(use --keep to keep it)")
        return [_mutant(work, name, status) for name, status in _results(work)]
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def _single_threaded() -> dict[str, str]:
    """torch's thread pools do not survive fork(); one thread each keeps forked mutants from hanging."""
    # fewer property-based examples per mutant: each mutant reruns the tests (tests/conftest.py)
    return {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "GENGRADE_HYPOTHESIS": "mutation"}


def _scratch_copy(work: Path, module: str, tests: list[str]) -> None:
    """The checkout's files (committed or not, never ignored ones) plus mutmut's settings."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source, target = ROOT / name, work / name
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    tops = sorted({Path(n).parts[0] for n in listed if n and "/" in n} - {"grader"})
    pyproject = work / "pyproject.toml"
    text = re.sub(r"(?ms)^\[tool\.mutmut\].*?(?=^\[|\Z)", "", pyproject.read_text(encoding="utf-8"))
    pyproject.write_text(text + f"""
[tool.mutmut]
source_paths = ["grader"]
only_mutate = [{module!r}]
also_copy = {tops!r}
pytest_add_cli_args = ["-p", "no:cacheprovider", "-q"]
pytest_add_cli_args_test_selection = {tests!r}
use_git_change_detection = false
process_isolation = "forkserver"
""", encoding="utf-8")


def _results(work: Path) -> list[tuple[str, str]]:
    listing = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"], cwd=work,
                             capture_output=True, text=True, check=True).stdout
    return [tuple(part.strip() for part in line.rsplit(":", 1)) for line in listing.splitlines()
            if "__mutmut_" in line]


def _mutant(work: Path, name: str, status: str) -> Mutant:
    """The mutant with its changed line; mutmut's diff is read for survivors only (it is slow)."""
    match = NAME.search(name)
    function = match.group("function").replace("ǁ", ".") if match else name
    if status in DETECTED:
        return Mutant(name, status, function, "", "")
    diff = subprocess.run([sys.executable, "-m", "mutmut", "show", name], cwd=work,
                          capture_output=True, text=True).stdout.splitlines()
    minus = [line[1:].strip() for line in diff if line.startswith("-") and not line.startswith("---")]
    plus = [line[1:].strip() for line in diff if line.startswith("+") and not line.startswith("+++")]
    return Mutant(name, status, function, " ".join(minus), " ".join(plus))


def report(module: str, mutants: list[Mutant], equivalent: list[dict], seconds: float) -> float:
    """Print the module's figures and survivors; return its kill rate over non-equivalent mutants."""
    def is_equivalent(m: Mutant, e: dict) -> bool:
        return (m.function, m.original, m.mutated) == (e["function"], e["original"], e["mutant"])

    survivors = [m for m in mutants if m.status not in DETECTED]
    judged = [m for m in survivors if any(is_equivalent(m, e) for e in equivalent)]
    real = [m for m in survivors if m not in judged]
    counted = len(mutants) - len(judged)
    rate = (counted - len(real)) / counted if counted else 1.0
    outcomes = ", ".join(f"{n} {status}" for status, n in sorted(Counter(m.status for m in mutants).items()))
    print(f"{module}: {len(mutants)} mutants, {len(judged)} equivalent, {counted - len(real)}/{counted} "
          f"killed ({rate:.1%}) in {seconds:.0f} s [{outcomes}]")
    for m in real:
        print(f"  survived ({m.status}) {m.name}\n    - {m.original}\n    + {m.mutated}")
    for e in equivalent:
        if not any(is_equivalent(m, e) for m in judged):
            print(f"  stale entry in equivalent.toml (no such survivor): {e['function']}: {e['mutant']}")
    return rate


if __name__ == "__main__":
    sys.exit(main())
