"""Records that cross module boundaries: one check's result and one exercise's report."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace


@dataclass(frozen=True)
class CheckResult:
    name: str
    title: str
    outcome: str  # "pass", "fail", "error" (the student's code raised), "not-run" or "not-started"
    points: int
    max_points: int
    public: bool
    message: str = ""
    misconception: str | None = None
    figure: dict | None = None  # a plot the check attached (grader.check.figure), e.g. samples against data

    @property
    def passed(self) -> bool:
        return self.outcome == "pass"

    def advised(self, misconception) -> CheckResult:
        """This result with the named misconception's summary and hint after the message."""
        if misconception is None:
            return self
        return replace(self, message=f"{self.message}\n{misconception.advice()}")


@dataclass(frozen=True)
class Report:
    exercise: str
    title: str
    submission: str
    checks: tuple[CheckResult, ...]
    headline: str = ""  # set when the submission could not be run at all
    seed: int = 0
    elapsed_s: float = 0.0
    isolation: str = ""  # what protected the run, as the report says it
    output: str = ""  # the tail of what the code printed, cleaned

    @property
    def score(self) -> int:
        return sum(c.points for c in self.checks)

    @property
    def max_score(self) -> int:
        return sum(c.max_points for c in self.checks)

    @property
    def all_passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def status(self) -> str:
        if all(c.outcome == "not-started" for c in self.checks):
            return "not-started"
        if self.headline:
            return "not-graded"  # it could not be imported or run at all
        return "passed" if self.all_passed else "failed"

    def to_json(self) -> dict:
        data = asdict(self)
        data.update(score=self.score, max_score=self.max_score, status=self.status)
        data["checks"] = [asdict(c) for c in self.checks]
        return data
