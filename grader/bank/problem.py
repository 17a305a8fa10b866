"""The records of one problem-bank entry as read from YAML, and where its parts came from.

No sympy here: a Problem holds the author's text; `Problem.compiled` turns it into sympy
expressions and numeric functions on first use (see bank_compile).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Iterable, Mapping

from grader.errors import GraderError

TYPES = ("nat", "mcq", "msq", "expr")
BLOOM = ("remember", "understand", "apply", "analyze", "evaluate", "create")


def field_name(path: tuple) -> str:
    """("problems", 3, "options", 1, "value") -> "problems[3].options[1].value"."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "(top level)"


def line_of(lines: Mapping[tuple, int], path: tuple) -> int:
    """Line of `path`, or of its nearest ancestor present (a missing key: its parent's line)."""
    while path not in lines and len(path) > 1:
        path = path[:-1]
    return lines.get(path, 1)


@dataclass(frozen=True)
class Issue:
    """One thing wrong in a bank file, addressed as FILE:LINE: field."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class BankInvalid(GraderError):
    """Bank entries that break the schema (exit 1); `issues` lists each with its file and line."""

    def __init__(self, issues: Iterable[Issue]):
        self.issues = list(issues)
        shown = "\n".join(str(i) for i in self.issues[:5])
        more = f"\n... and {len(self.issues) - 5} more" if len(self.issues) > 5 else ""
        super().__init__(f"the problem bank has errors:\n{shown}{more}\n"
                         "Run `gengrade bank validate` to see them all.")


@dataclass(frozen=True)
class Origin:
    """File and key-path -> line map of an entry, so later checks can point at the line."""

    file: str
    index: int  # position in the file's `problems` list
    lines: Mapping[tuple, int] = field(repr=False, compare=False)

    def issue(self, path: tuple, message: str) -> Issue:
        full = ("problems", self.index, *path)
        return Issue(self.file, line_of(self.lines, full), field_name(full), message)


@dataclass(frozen=True)
class ParamSpec:
    """The finite set a parameter is drawn from: listed choices, or the grid lo, lo+step, ... (count values)."""

    choices: tuple[str, ...] = ()
    lo: Fraction = Fraction(0)
    step: Fraction = Fraction(1)
    count: int = 0
    decimal: bool = False  # grid written with decimals: show 0.25, not 1/4

    @property
    def size(self) -> int:
        return len(self.choices) or self.count

    def value(self, k: int) -> str:
        """The k-th value (0 <= k < size) as exact text."""
        if self.choices:
            return self.choices[k]
        v = self.lo + k * self.step
        if v.denominator == 1:
            return str(v.numerator)
        if self.decimal and _terminates(v.denominator):
            return str(Decimal(v.numerator) / Decimal(v.denominator))
        return f"{v.numerator}/{v.denominator}"


def _terminates(q: int) -> bool:
    for p in (2, 5):
        while q % p == 0:
            q //= p
    return q == 1


@dataclass(frozen=True)
class Tolerance:
    kind: str  # abs | rel | range
    bounds: tuple[str, ...]  # abs/rel: (width,); range: (lo, hi), exact expressions

    def around(self, center: float, key_range: tuple[float, float] | None = None) -> tuple[float, float]:
        """Answers counted as `center`: +-abs, +-rel*|center|, or (range) half the key's range either side."""
        if self.kind == "range":
            half = (key_range[1] - key_range[0]) / 2
        else:
            half = float(Fraction(self.bounds[0])) * (1.0 if self.kind == "abs" else abs(center))
        return center - half, center + half


@dataclass(frozen=True)
class OptionSpec:
    text: str
    correct: bool = False
    value: str = ""  # exact expression, used to check distinctness and to accept typed values
    misconception: str | None = None
    feedback: str = ""


@dataclass(frozen=True)
class MisconceptionSpec:
    id: str
    expr: str
    feedback: str


@dataclass(frozen=True, eq=False)
class Problem:
    id: str
    title: str
    topic: str
    type: str
    marks: int
    stem: str
    solution: str
    origin: Origin
    bloom: str | None = None
    source: str = "original"
    params: Mapping[str, ParamSpec] = field(default_factory=dict)
    derived: Mapping[str, str] = field(default_factory=dict)
    constraints: tuple[str, ...] = ()
    answer: str = ""
    tolerance: Tolerance | None = None
    domain: tuple[str, ...] = ()  # nat: the sets the key lives in (grader.bank.ranges), e.g. ("probability",)
    variables: tuple[str, ...] = ()
    symbols: tuple[str, ...] = ()  # bound index names for Sum/Product in expressions
    options: tuple[OptionSpec, ...] = ()
    misconceptions: tuple[MisconceptionSpec, ...] = ()
    example: Mapping | None = None  # {"params": {name: text}, "answer": text}

    @property
    def fixed(self) -> bool:
        """One instance only: no params, or each param has a single value (a seed changes nothing)."""
        return all(spec.size == 1 for spec in self.params.values())

    @cached_property
    def compiled(self):
        """Sympy expressions, numeric function and templates, built once (raises BankInvalid)."""
        from grader.bank.compile import compile_problem

        return compile_problem(self)
