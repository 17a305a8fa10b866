"""Probes of exercise c19, inception_score(probs, splits=1): they run in the student's isolated
process. Inputs are drawn from the run's seed (the grader rebuilds them), sizes included."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from grader.sandbox.probing import capture, draw_shape, probe, run_on_device, seeded

F64, F32 = torch.float64, torch.float32


@dataclass(frozen=True)
class Case:
    per_split: int  # rows in each split
    classes: int
    splits: int | None  # None: the default is used
    dtype: torch.dtype
    seed: int
    zeros: bool = False  # some probabilities exactly 0

    @property
    def rows(self) -> int:
        return self.per_split * (self.splits or 1)

    def describe(self) -> str:
        splits = "the default splits" if self.splits is None else f"splits={self.splits}"
        zeros = ", some probabilities exactly 0" if self.zeros else ""
        return f"probs of shape ({self.rows}, {self.classes}) ({str(self.dtype)[6:]}), {splits}{zeros}"


def cases(seed: int) -> list[Case]:
    """One split (the default), several splits whose marginals differ, zeros, both dtypes."""
    n1, k1, n2, k2, n3, k3 = draw_shape(seed, (5, 12), (3, 7), (3, 8), (4, 8), (4, 8), (5, 9))
    return [Case(n1, k1, None, F64, seed), Case(n2, k2, 3, F32, seed + 1), Case(n3, 4, 2, F64, seed + 2),
            Case(n2 + 1, k3, 4, F64, seed + 3, zeros=True)]


def make_probs(case: Case) -> torch.Tensor:
    """Softmax rows; the rows of split j lean towards class j, so the splits' marginals differ."""
    g = seeded(case.seed)
    logits = torch.randn(case.rows, case.classes, generator=g, dtype=F64)
    block = torch.arange(case.rows) // case.per_split
    logits[torch.arange(case.rows), block % case.classes] += 2.5
    probs = torch.softmax(logits, dim=1)
    if case.zeros:
        probs = probs * (torch.rand(probs.shape, generator=g, dtype=F64) > 0.3)
        probs[torch.arange(case.rows), block % case.classes] += 0.05  # every row keeps some mass
        probs = probs / probs.sum(1, keepdim=True)
    return probs.to(case.dtype)


def call(inception_score, case: Case) -> dict:
    probs = make_probs(case)
    splits = {} if case.splits is None else {"splits": case.splits}
    out = capture(lambda: inception_score(probs, **splits))
    out["probs_after"] = probs
    return out


@probe
def basic(inception_score, seed):
    return {f"case{i}": call(inception_score, case) for i, case in enumerate(cases(seed))}


@probe
def device(inception_score, seed):
    probs = make_probs(Case(4, 3, 2, F32, seed + 40))
    return run_on_device(lambda move: inception_score(move(probs), splits=2))
