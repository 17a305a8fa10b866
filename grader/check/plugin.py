"""gengrade's pytest plugin: an exercise's hidden suite is a plain pytest module.

Each test in `solutions/cN/test_cN.py` asks for what it reads as fixtures: the observations
of a probe, by the probe's name, and `seed`, the run's seed, from which it rebuilds the
inputs. Markers give its points (`@pytest.mark.points(2)`, default 1) and whether students
see it in a release (`@pytest.mark.public`). The plugin serves those fixtures from one
isolated run of the submission and turns every test's ending into a CheckResult. A test may
also ask for `attach`: attach(note=..., figure=...) gives a passing check a line to show (the
numbers it judged) and any check a figure (grader.check.figure).

`gengrade check` and class grading run the suite in-process (grader.check.suite, one collected
session per process); `pytest solutions/cN --submission FILE` runs the same suite by hand,
with pytest's own report (solutions/conftest.py loads this module).
"""

from __future__ import annotations

import ast
import types
from pathlib import Path
from typing import Any, Callable

import pytest

from grader.check.judge import classify, headline, probe_outputs
from grader.check.models import CheckResult
from grader.check.output import clean
from grader.seeds import fresh_seed

MARKERS = ("points(n): the check is worth n points (default 1)",
           "public: the check ships with the student release and its result is always shown")


def probe_names(path: Path) -> list[str]:
    """The `@probe` functions of a probes.py, in order, read without importing it."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [node.name for node in tree.body if isinstance(node, ast.FunctionDef)
            and any(getattr(d, "id", getattr(d, "attr", None)) == "probe" for d in node.decorator_list)]


class GradingSession:
    """One submission's run, served to the suite's tests as fixtures, and their results."""

    def __init__(self, exercise, observe: Callable[[], Any], seed: int, source: str):
        self.exercise, self.seed, self.source = exercise, seed, source
        self._observe, self._observations = observe, None
        self.headline = ""
        self.results: list[CheckResult] = []
        self.attached: dict[str, dict[str, Any]] = {}  # test id -> its note and figure

    def observations(self):
        """Wait for the sandbox the first time a test needs it (collection overlaps the run)."""
        if self._observations is None:
            self._observations = self._observe()
            self.headline = headline(self._observations, self.exercise.function, self.source)
        return self._observations

    def outputs(self, probe: str) -> dict[str, Any]:
        return probe_outputs(self.observations(), probe, self.headline)

    def fixtures(self) -> types.ModuleType:
        return fixture_plugin(probe_names(self.exercise.probes_path), lambda: self)

    def pytest_configure(self, config: pytest.Config) -> None:
        register_markers(config)  # also when no conftest registers them (a course without solutions/conftest.py)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = yield
        self.record(item, call)
        return report

    def record(self, item: pytest.Item, call: pytest.CallInfo) -> None:
        """Keep how a check ended: its call, or a set-up that did not pass (a probe that did not run)."""
        if call.when == "call" or (call.when == "setup" and call.excinfo is not None):
            self.results.append(result_of(item, call, Path(self.source).name, self.attached.get(item.nodeid, {})))

    def attacher(self, test_id: str) -> Callable[..., None]:
        """The `attach` a test gets: attach(note=..., figure=...) keeps them with its result."""
        def attach(note: str = "", figure: dict[str, Any] | None = None) -> None:
            entry = self.attached.setdefault(test_id, {})
            entry.update({k: v for k, v in (("note", note), ("figure", figure)) if v})
        return attach


def fixture_plugin(probes: list[str], current: Callable[[], GradingSession]) -> types.ModuleType:
    """A plugin module holding a fixture per probe, `seed` and `attach`, read from the `current()` session."""
    module = types.ModuleType("gengrade_fixtures")
    for name in probes:
        setattr(module, f"probe_{name}", pytest.fixture(name=name)(_fixture(name, current)))
    module.seed = pytest.fixture(name="seed")(lambda: current().seed)
    module.attach = pytest.fixture(name="attach")(lambda request: current().attacher(request.node.nodeid))
    return module


def _fixture(name: str, current: Callable[[], GradingSession]) -> Callable[[], dict[str, Any]]:
    def observed() -> dict[str, Any]:
        return current().outputs(name)
    observed.__name__ = name
    return observed


def result_of(item: pytest.Item, call: pytest.CallInfo, source: str, attached: dict[str, Any] | None = None) -> CheckResult:
    points_marker = item.get_closest_marker("points")
    points = int(points_marker.args[0]) if points_marker else 1
    attached = attached or {}
    if call.excinfo is None:
        outcome, message, mistake = "pass", attached.get("note", ""), None
    elif call.excinfo.errisinstance(pytest.skip.Exception):
        outcome, message, mistake = "not-run", f"not run: {call.excinfo.value}", None
    else:
        outcome, message, mistake = classify(call.excinfo.value, source)
    doc = (getattr(item, "obj", None).__doc__ or "").strip()
    name = item.name.removeprefix("test_")
    title = doc.splitlines()[0] if doc else name.replace("_", " ")
    public = item.get_closest_marker("public") is not None
    return CheckResult(name, title, outcome, points if outcome == "pass" else 0, points, public, clean(message), mistake,
                       attached.get("figure"))


# Plugins a suite run in-process has no use for; together they cost ~0.18 s a run (0.2 s -> 0.02 s).
QUIET = ("terminal", "cacheprovider", "warnings", "logging", "faulthandler", "doctest", "junitxml", "pastebin",
         "stepwise", "lfplugin", "unraisableexception", "threadexception", "legacypath", "setuponly",
         "setupplan", "python_path", "debugging")


def suite_args(tests: Path) -> list[str]:
    """pytest's arguments for running a hidden suite in-process, quietly."""
    root = str(tests.resolve().parents[2])  # the course: its solutions/conftest.py applies, and
    args = [str(tests), "--disable-plugin-autoload", "-o", "addopts=", "--strict-markers",  # module names
            "--rootdir", root, "--confcutdir", root,  # do not depend on the folder gengrade runs in
            # No student code runs here, so nothing to capture; and a suite kept for the process
            # would otherwise restore sys.stdout to whatever it was when the suite was first run.
            "--capture=no"]
    for plugin in QUIET:
        args += ["-p", f"no:{plugin}"]
    return args


# --- hooks for `pytest solutions/cN --submission FILE` (loaded by solutions/conftest.py) ---

def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("gengrade", "grade a submission against this hidden suite")
    group.addoption("--submission", metavar="FILE", help="the student's file to grade, in the sandbox")
    group.addoption("--run-seed", type=int, metavar="N", help="seed of the run's random inputs (default: fresh)")
    group.addoption("--run-timeout", type=float, metavar="S", help="seconds the submission may run")


def register_markers(config: pytest.Config) -> None:
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)


def pytest_configure(config: pytest.Config) -> None:
    register_markers(config)
    submission = config.getoption("submission", None)
    if submission:
        session = session_for(config, Path(submission))
        config.pluginmanager.register(session, "gengrade-session")
        config.pluginmanager.register(session.fixtures(), "gengrade-fixtures")


def session_for(config: pytest.Config, submission: Path) -> GradingSession:
    """Start the sandboxed run of `submission` for the one exercise named on the command line."""
    from grader import course
    from grader.check.api import start_run

    ids = {Path(arg.split("::")[0]).resolve().relative_to(course.course_root() / "solutions").parts[0]
           for arg in config.args if _inside(Path(arg.split("::")[0]), course.course_root() / "solutions")}
    if len(ids) != 1:
        raise pytest.UsageError("--submission grades one exercise: name one suite, e.g. pytest solutions/c2 "
                                "--submission path/to/add_noise.py")
    exercise = course.exercise_by_id(ids.pop())
    if not submission.is_file():
        raise pytest.UsageError(f"--submission {submission}: no such file")
    seed = config.getoption("run_seed")
    seed = fresh_seed() if seed is None else seed
    run = start_run(exercise, submission, seed=seed, timeout_s=config.getoption("run_timeout"))
    return GradingSession(exercise, run.collect, seed, str(submission))


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True
