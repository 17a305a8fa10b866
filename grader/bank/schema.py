"""Read a bank YAML file with the line of every key, and check its structure (no sympy).

The checks here are the ones a typo breaks: required and unknown keys, types, names, parameter
specs. Whether the mathematics holds is bank_check's job.
"""

from __future__ import annotations

import difflib
import re
from fractions import Fraction
from pathlib import Path

from grader import yaml_lines
from grader.bank.problem import (BLOOM, TYPES, Issue, MisconceptionSpec, OptionSpec, Origin, ParamSpec, Problem,
                            Tolerance, field_name, line_of)
from grader.bank.groups import Group, read_groups
from grader.bank.mathtext import RESERVED
from grader.bank.ranges import DOMAINS

EXACT = "exact"  # a number, or a string holding a sympy expression
NAMES = "names"  # a name, or a list of names
KINDS = {str: "a string", int: "an integer", bool: "true or false", list: "a list", dict: "a mapping",
         EXACT: "a number or a quoted sympy expression such as \"1/2\"", NAMES: "a name or a list of names"}
FILE_KEYS = {"topic": (str, False), "problems": (list, False), "groups": (list, False)}
PROBLEM_KEYS = {
    "id": (str, True), "title": (str, True), "topic": (str, False), "type": (str, True),
    "marks": (int, True), "bloom": (str, False), "source": (str, False), "params": (dict, False),
    "derived": (dict, False), "constraints": (list, False), "answer": (EXACT, False),
    "tolerance": (dict, False), "domain": (NAMES, False), "variables": (list, False), "symbols": (list, False),
    "options": (list, False), "misconceptions": (list, False), "stem": (str, True),
    "solution": (str, True), "example": (dict, False),
}
NEEDS = {"nat": ("answer", "tolerance"), "expr": ("answer", "variables"), "mcq": ("options",), "msq": ("options",)}
FORBIDS = {"nat": ("options", "variables"), "expr": ("options", "tolerance", "domain"),
           "mcq": ("tolerance", "domain", "variables", "misconceptions"),
           "msq": ("answer", "tolerance", "domain", "variables", "misconceptions")}  # an mcq `answer` must match its key
OPTION_KEYS = {"text": (str, True), "correct": (bool, False), "value": (EXACT, False),
               "misconception": (str, False), "feedback": (str, False)}
MISCONCEPTION_KEYS = {"id": (str, True), "expr": (EXACT, True), "feedback": (str, True)}
EXAMPLE_KEYS = {"params": (dict, False), "answer": (EXACT, True)}
ID = re.compile(r"[a-z0-9][a-z0-9._-]*")
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
SYNTAX_ERROR = "{where}: not readable YAML: {problem}; fix the syntax (check indentation and quotes)"


def read_file(path: Path) -> tuple[list[Problem], list[Group], list[Issue]]:
    """The valid entries and groups of one file and the issues of the others; UsageError if not YAML."""
    data, lines, issues = compose(path)
    checker = Checker(str(path), lines, issues)
    if not checker.keys(data, FILE_KEYS, ()):
        return [], [], checker.issues
    if "problems" not in data and "groups" not in data:
        checker.report(("problems",), "missing; a bank file holds `problems:`, `groups:` or both")
    problems = [checker.entry(raw, i, data.get("topic")) for i, raw in enumerate(data.get("problems", []))]
    groups = read_groups(data.get("groups", []), checker)
    return [p for p in problems if p is not None], groups, checker.issues


def compose(path: Path) -> tuple[object, dict[tuple, int], list[Issue]]:
    """Parsed data, key path -> 1-based line, and duplicate-key issues."""
    doc = yaml_lines.read(path, SYNTAX_ERROR)
    issues = [Issue(str(path), line, field_name(key), f"duplicate key (first at line {first}); YAML keeps only the last one")
              for key, line, first in doc.duplicates]
    return doc.data, doc.lines, issues


def _is(value, kind) -> bool:
    if kind is EXACT:
        return isinstance(value, (str, int, float)) and not isinstance(value, bool)
    if kind is NAMES:
        return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
    return isinstance(value, kind) and (kind is bool or not isinstance(value, bool))


def _fraction(value) -> Fraction | None:
    try:
        return Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        return None


class Checker:
    """Collects issues for one file while building its Problems."""

    def __init__(self, file: str, lines: dict[tuple, int], issues: list[Issue]):
        self.file, self.lines, self.issues = file, lines, issues

    def report(self, path: tuple, message: str) -> None:
        self.issues.append(Issue(self.file, line_of(self.lines, path), field_name(path), message))

    def keys(self, data, schema: dict, path: tuple) -> bool:
        """Mapping with the schema's required keys, no unknown ones, each of its type."""
        if not isinstance(data, dict):
            self.report(path, f"must be a mapping with keys {', '.join(schema)}")
            return False
        before, hinted = len(self.issues), set()
        for key in data:
            if key not in schema:
                close = difflib.get_close_matches(str(key), [k for k in schema if k not in data], n=1)
                hinted.update(close)
                hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(schema)}"
                self.report(path + (str(key),), f"unknown key; {hint}")
        for key, (kind, required) in schema.items():
            if key not in data:
                if required and key not in hinted:
                    self.report(path + (key,), f"missing; add `{key}:` ({KINDS[kind]})")
            elif not _is(data[key], kind):
                self.report(path + (key,), f"must be {KINDS[kind]}, not {type(data[key]).__name__}")
        return len(self.issues) == before

    def entry(self, raw, i: int, file_topic) -> Problem | None:
        """One `problems[i]` entry as a Problem, or None after reporting what is wrong."""
        path = ("problems", i)
        before = len(self.issues)
        if not self.keys(raw, PROBLEM_KEYS, path):
            return None
        self.basics(raw, path, file_topic)
        self.names(raw, path)
        fields = dict(params=self.params(raw.get("params", {}), path + ("params",)),
                      tolerance=self.tolerance(raw.get("tolerance"), path + ("tolerance",)),
                      options=self.options(raw.get("options", []), path + ("options",)),
                      misconceptions=self.misconceptions(raw.get("misconceptions", []), path + ("misconceptions",)),
                      example=self.example(raw.get("example"), path + ("example",)),
                      domain=self.domain(raw.get("domain", []), path + ("domain",)))
        if raw["type"] in ("mcq", "msq"):
            self.choices(fields["options"], raw["type"], path + ("options",))
        if len(self.issues) > before:
            return None
        return Problem(id=raw["id"], title=raw["title"], topic=raw.get("topic", file_topic), type=raw["type"],
                       marks=raw["marks"], stem=raw["stem"], solution=raw["solution"],
                       origin=Origin(self.file, i, self.lines), bloom=raw.get("bloom"),
                       source=raw.get("source", "original"),
                       derived={k: str(v) for k, v in raw.get("derived", {}).items()},
                       constraints=tuple(str(c) for c in raw.get("constraints", [])), answer=str(raw.get("answer", "")),
                       variables=tuple(raw.get("variables", [])), symbols=tuple(raw.get("symbols", [])), **fields)

    def basics(self, raw: dict, path: tuple, file_topic) -> None:
        if not ID.fullmatch(raw["id"]):
            self.report(path + ("id",), "use lower-case letters, digits and dashes, e.g. vae-kl-diag")
        if raw["type"] not in TYPES:
            self.report(path + ("type",), f"{raw['type']!r} is not a type; use one of {', '.join(TYPES)}")
            return
        if raw["marks"] not in (1, 2):
            self.report(path + ("marks",), f"GATE questions carry 1 or 2 marks, not {raw['marks']}")
        if raw.get("bloom") is not None and raw["bloom"] not in BLOOM:
            self.report(path + ("bloom",), f"{raw['bloom']!r} is not a Bloom level; use one of {', '.join(BLOOM)}")
        if not isinstance(raw.get("topic", file_topic), str):
            self.report(path + ("topic",), "missing; give the problem a `topic:` or the file a top-level `topic:`")
        for key in NEEDS[raw["type"]]:
            if key not in raw:
                self.report(path + (key,), f"missing; a {raw['type']} problem needs `{key}`")
        for key in FORBIDS[raw["type"]]:
            if key in raw:
                self.report(path + (key,), f"a {raw['type']} problem has no `{key}`; remove it")

    def names(self, raw: dict, path: tuple) -> None:
        """Declared names (params, derived, variables, symbols): identifiers, unique, not reserved."""
        seen: set[str] = set()
        for group in ("params", "derived", "variables", "symbols"):
            items = raw.get(group, [])
            for j, name in enumerate(items):
                where = path + (group, name if isinstance(items, dict) else j)
                if not isinstance(name, str) or not NAME.fullmatch(name):
                    self.report(where, f"{name!r} is not a valid name (letters, digits, _); quote keys like `on`/`no`")
                elif name in RESERVED:
                    self.report(where, f"{name!r} is a reserved name (a function or constant); rename it")
                elif name in seen:
                    self.report(where, f"{name!r} is declared twice")
                seen.add(str(name))
        for j, item in enumerate(raw.get("constraints", [])):
            if not _is(item, EXACT):
                self.report(path + ("constraints", j), f"must be {KINDS[EXACT]}")
        for name, text in raw.get("derived", {}).items():
            if not _is(text, EXACT):
                self.report(path + ("derived", str(name)), f"must be {KINDS[EXACT]}")

    def params(self, specs: dict, path: tuple) -> dict[str, ParamSpec]:
        out = {}
        for name, spec in specs.items():
            parsed = self.param(spec, path + (str(name),))
            if parsed is not None:
                out[str(name)] = parsed
        return out

    def param(self, spec, path: tuple) -> ParamSpec | None:
        """{choice: [...]}, {range: [lo, hi], step: s} or {int: [lo, hi]}."""
        kinds = [k for k in ("choice", "range", "int") if isinstance(spec, dict) and k in spec]
        allowed = {"choice": {"choice"}, "range": {"range", "step"}, "int": {"int"}}
        if len(kinds) != 1 or set(spec) - allowed[kinds[0]]:
            self.report(path, 'give exactly one of {choice: ["1/2", "1"]}, {range: [lo, hi], step: "1/4"}, '
                              '{int: [lo, hi]}')
            return None
        kind, values = kinds[0], spec[kinds[0]]
        if not isinstance(values, list) or not values or not all(_is(v, EXACT) for v in values):
            self.report(path + (kind,), "must be a non-empty list of numbers or quoted expressions")
            return None
        if kind == "choice":
            return ParamSpec(choices=tuple(str(v) for v in values))
        return self.grid(kind, values, spec.get("step", 1 if kind == "int" else None), path)

    def grid(self, kind: str, bounds: list, step, path: tuple) -> ParamSpec | None:
        lo, hi = (_fraction(b) for b in bounds) if len(bounds) == 2 else (None, None)
        size = _fraction(step) if step is not None else None
        if lo is None or hi is None or lo > hi:
            self.report(path + (kind,), "must be [lo, hi] with exact numbers lo <= hi")
        elif kind == "int" and (lo.denominator != 1 or hi.denominator != 1):
            self.report(path + (kind,), "int bounds must be integers")
        elif size is None or size <= 0:
            self.report(path + ("step",), 'missing or not positive; add e.g. step: "1/4"')
        elif ((hi - lo) / size).denominator != 1:
            self.report(path + (kind,), f"hi = {hi} is not on the grid lo + k*step (lo = {lo}, step = {size})")
        else:
            decimal = any("." in str(v) for v in (*bounds, step))
            return ParamSpec(lo=lo, step=size, count=int((hi - lo) / size) + 1, decimal=decimal)
        return None

    def tolerance(self, spec, path: tuple) -> Tolerance | None:
        if spec is None:
            return None
        if not isinstance(spec, dict) or len(spec) != 1 or next(iter(spec)) not in ("abs", "rel", "range"):
            self.report(path, 'give one of {abs: 0.01}, {rel: 0.01} or {range: ["lo", "hi"]}')
            return None
        kind, value = next(iter(spec.items()))
        if kind == "range":
            if isinstance(value, list) and len(value) == 2 and all(_is(v, EXACT) for v in value):
                return Tolerance(kind, tuple(str(v) for v in value))
            self.report(path + (kind,), 'must be [lo, hi], exact numbers or expressions')
        elif _fraction(value) is not None and _fraction(value) > 0:
            return Tolerance(kind, (str(value),))
        else:
            self.report(path + (kind,), f"must be a positive number, not {value!r}")
        return None

    def options(self, items: list, path: tuple) -> tuple[OptionSpec, ...]:
        out = []
        for j, item in enumerate(items):
            if self.keys(item, OPTION_KEYS, path + (j,)):
                out.append(OptionSpec(text=item["text"], correct=item.get("correct", False),
                                      value=str(item.get("value", "")), misconception=item.get("misconception"),
                                      feedback=item.get("feedback", "")))
        return tuple(out)

    def misconceptions(self, items: list, path: tuple) -> tuple[MisconceptionSpec, ...]:
        out = []
        for j, item in enumerate(items):
            if self.keys(item, MISCONCEPTION_KEYS, path + (j,)):
                out.append(MisconceptionSpec(item["id"], str(item["expr"]), item["feedback"]))
        return tuple(out)

    def choices(self, options: tuple[OptionSpec, ...], kind: str, path: tuple) -> None:
        """GATE rules: an MCQ has exactly one correct option, an MSQ at least one."""
        right = sum(o.correct for o in options)
        if len(options) < 2:
            self.report(path, f"an {kind} needs at least 2 options (GATE papers use 4)")
        elif kind == "mcq" and right != 1:
            self.report(path, f"an mcq has exactly one option with `correct: true`, this one has {right}; "
                              "use type: msq for several")
        elif kind == "msq" and right < 1:
            self.report(path, "an msq needs at least one option with `correct: true`")

    def domain(self, names, path: tuple) -> tuple[str, ...]:
        """The sets a NAT key lives in (grader.bank.ranges.DOMAINS): its range may hold nothing else."""
        names = (names,) if isinstance(names, str) else tuple(names)
        for name in names:
            if name not in DOMAINS:
                close = difflib.get_close_matches(name, list(DOMAINS), n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"use {', '.join(DOMAINS)}"
                self.report(path, f"{name!r} is not a domain; {hint}")
        return names

    def example(self, spec, path: tuple) -> dict | None:
        if spec is None or not self.keys(spec, EXAMPLE_KEYS, path):
            return None
        params = spec.get("params", {})
        for name, value in params.items():
            if not _is(value, EXACT):
                self.report(path + ("params", str(name)), f"must be {KINDS[EXACT]}")
        return {"params": {str(k): str(v) for k, v in params.items()}, "answer": str(spec["answer"])}
