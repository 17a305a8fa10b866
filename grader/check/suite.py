"""How an exercise's hidden check suite is written.

A suite splits every check in two, along the trust boundary:

* a *probe* runs in the student's sandboxed process: it builds inputs from a seed, calls
  the student's function and returns raw observations (tensors, numbers, strings);
* a *verdict* runs in the grader's process, which never runs student code: it rebuilds
  the same inputs, computes what is expected (from the reference solution or a closed
  form), compares, and either returns (pass) or raises ``Fail`` with a message for the
  student and, when the failure matches a known mistake, that misconception's id.

Several checks may read one probe, so an expensive sample is drawn once.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

Probe = Callable[[Callable[..., Any]], dict[str, Any]]
Verdict = Callable[[dict[str, Any], ModuleType], None]


class Fail(Exception):
    """A check's verdict: the student's code is wrong, and this says how."""

    def __init__(self, message: str, misconception: str | None = None):
        super().__init__(message)
        self.message = message
        self.misconception = misconception


@dataclass(frozen=True)
class Check:
    name: str
    title: str
    points: int
    probe: str
    public: bool
    verdict: Verdict


@dataclass
class Suite:
    """The probes and checks of one exercise, in the order they are reported."""

    function: str
    probes: dict[str, Probe] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)

    def probe(self, fn: Probe) -> Probe:
        self.probes[fn.__name__] = fn
        return fn

    def check(self, probe: Probe, points: int = 1, public: bool = False) -> Callable[[Verdict], Verdict]:
        """Register a verdict reading `probe`'s outputs; its docstring is its title."""
        if probe.__name__ not in self.probes:
            raise ValueError(f"probe {probe.__name__} is not registered with this suite")

        def register(verdict: Verdict) -> Verdict:
            title = (verdict.__doc__ or verdict.__name__).strip().splitlines()[0]
            self.checks.append(Check(verdict.__name__, title, points, probe.__name__, public, verdict))
            return verdict
        return register

    @property
    def max_points(self) -> int:
        return sum(c.points for c in self.checks)


def load_module(path: Path, name: str) -> ModuleType:
    """Import a Python file by path under a private module name (no sys.path changes)."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_suite(path: Path) -> Suite:
    suite = getattr(load_module(path, f"gengrade_suite_{path.parent.name}"), "suite", None)
    if not isinstance(suite, Suite):
        raise ImportError(f"{path} defines no `suite = Suite(...)`")
    return suite
