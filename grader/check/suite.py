"""A hidden suite collected once per process, then run against one submission after another.

Class grading judges hundreds of submissions per worker, and a fresh `pytest.main` for each
built a session and formatted every failed check's long traceback, which nobody reads
(judging the c5 catalog: 95 ms of CPU a file; 83 ms with the session kept; 19 ms without the
tracebacks). So each process configures pytest and collects each exercise's suite once (its
module imported through pytest's assertion rewriting, as `pytest` does; pytest has no public
way to keep a session, hence `_prepareconfig`), keeps only failures' messages, and runs the
collected items for each submission through pytest's own `pytest_runtest_protocol`, exactly
as a session's run loop does: the same fixtures, markers, captures, skips and outcomes, every
fixture torn down after the last item. The fixtures read the submission being judged
(`current`), so nothing of one submission outlives its run. Suite modules were already
shared by runs in one process (pytest keeps them in sys.modules).
"""

from __future__ import annotations

import atexit
import threading
import warnings
from pathlib import Path

import pytest
from _pytest.config import _prepareconfig
from _pytest.main import Session

from grader.check.models import CheckResult
from grader.check.plugin import GradingSession, fixture_plugin, probe_names, register_markers, suite_args
from grader.course import Exercise
from grader.errors import GraderError

_ONE_AT_A_TIME = threading.Lock()  # pytest's capture is process-wide, and a suite serves one submission at a time
_SUITES: dict[Path, Suite] = {}


def judge_with_suite(exercise: Exercise, grading: GradingSession) -> list[CheckResult]:
    """Run the exercise's hidden suite (collected on first use in this process) against `grading`.

    When another thread is judging, this one first waits for its own sandbox, so the lock is
    never held idle; alone, the first collection overlaps the sandbox's run.
    """
    if not _ONE_AT_A_TIME.acquire(blocking=False):
        grading.observations()
        _ONE_AT_A_TIME.acquire()
    try:
        suite = _SUITES.get(exercise.tests_path)
        if suite is None:
            suite = _SUITES[exercise.tests_path] = Suite(exercise)
        return suite.run(grading)
    finally:
        _ONE_AT_A_TIME.release()


class Suite:
    """One exercise's configured pytest session and its collected items (a pytest plugin itself)."""

    def __init__(self, exercise: Exercise):
        self.tests = exercise.tests_path
        self.current: GradingSession | None = None
        fixtures = fixture_plugin(probe_names(exercise.probes_path), lambda: self.current)
        self.config = _prepareconfig(suite_args(self.tests), plugins=[self, fixtures])
        self.config._do_configure()
        atexit.register(self.config._ensure_unconfigure)
        self.session = Session.from_config(self.config)
        self.config.hook.pytest_sessionstart(session=self.session)
        self.config.hook.pytest_collection(session=self.session)
        self.items = list(self.session.items)
        if self.session.testsfailed or not self.items:
            raise GraderError(f"the hidden suite {self.tests} could not be collected: run `pytest {self.tests} "
                              "--submission FILE` to see why")

    def run(self, grading: GradingSession) -> list[CheckResult]:
        """Every item against `grading`'s submission, in order; their results."""
        self.current = grading
        try:
            with warnings.catch_warnings():  # a filter set while judging one submission stays with it
                for item, nextitem in zip(self.items, [*self.items[1:], None]):
                    item.ihook.pytest_runtest_protocol(item=item, nextitem=nextitem)
        finally:
            self.current = None
        return grading.results

    def pytest_configure(self, config: pytest.Config) -> None:
        register_markers(config)
        # Nobody reads a failed check's traceback here, and pytest's long form of it (source read and
        # parsed per frame) cost more than the checks: ~70 ms per failing c5 submission. "value" keeps
        # only the exception's message, as pytest does for pytest.fail(pytrace=False).
        config.option.tbstyle = "value"

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = yield
        self.current.record(item, call)
        return report
