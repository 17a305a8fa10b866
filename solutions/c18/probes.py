"""Probes of exercise c18, frechet_distance(mu1, sigma1, mu2, sigma2): they run in the student's
isolated process. Inputs are drawn from the run's seed (the grader rebuilds them), sizes included.
Each covariance is built as F F^T from a factor F (d x r) the grader keeps: r < d makes it singular."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from grader.sandbox.probing import capture, draw_shape, probe, run_on_device, seeded

F64, F32 = torch.float64, torch.float32


@dataclass(frozen=True)
class Case:
    kind: str  # "diagonal", "commuting" (shared eigenvectors), "full", "near-singular"
    d: int
    ranks: tuple[int, int]  # the ranks of sigma1 and sigma2 (d: full rank)
    dtype: torch.dtype
    seed: int

    def describe(self) -> str:
        ranks = "" if self.ranks == (self.d, self.d) else f" of ranks {self.ranks[0]} and {self.ranks[1]}"
        what = {"diagonal": "diagonal covariances", "commuting": "full covariances with the same eigenvectors",
                "full": "covariances that do not commute",
                "near-singular": "covariances that do not commute, one with eigenvalues down to 1e-7"}
        return f"{what[self.kind]}{ranks}, d = {self.d} ({str(self.dtype)[6:]})"


def cases(seed: int) -> dict[str, list[Case]]:
    d1, d2, d3, d4, d5 = draw_shape(seed, (3, 8), (3, 8), (4, 10), (6, 12), (10, 16))
    return {
        "diagonal": [Case("diagonal", d1, (d1, d1), F64, seed), Case("diagonal", d2, (d2, d2), F32, seed + 1),
                     Case("commuting", d2, (d2, d2), F64, seed + 2)],
        "full": [Case("full", d3, (d3, d3), F64, seed + 3), Case("full", d4, (d4, d4), F64, seed + 4)],
        "singular": [Case("full", d4, (d4 // 2, d4 - 2), F64, seed + 5), Case("full", d3, (1, d3), F64, seed + 6),
                     Case("near-singular", d5, (d5, d5), F64, seed + 7)],
        "float32": [Case("full", d5, (d5, d5), F32, seed + 8), Case("full", 64, (20, 40), F32, seed + 9),
                    Case("full", d4, (d4 // 2, d4 // 2 + 1), F32, seed + 10)],
    }


def factors(case: Case) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """(mu1, f1, mu2, f2) in float64, sigma = f f^T. Full factors have positive entries, so every
    entry of sigma1 @ sigma2 is positive; shared eigenvectors for the diagonal and commuting kinds."""
    g, d = seeded(case.seed), case.d
    mu1, mu2 = torch.randn(d, generator=g, dtype=F64), torch.randn(d, generator=g, dtype=F64)
    if case.kind in ("diagonal", "commuting"):
        q = torch.eye(d, dtype=F64) if case.kind == "diagonal" else \
            torch.linalg.qr(torch.randn(d, d, generator=g, dtype=F64))[0]
        return mu1, q * (0.3 + torch.rand(d, generator=g, dtype=F64)), mu2, q * (0.3 + torch.rand(d, generator=g, dtype=F64))
    f1, f2 = (torch.rand(d, r, generator=g, dtype=F64) / r ** 0.5 for r in case.ranks)
    if case.kind == "near-singular":
        q = torch.linalg.qr(torch.randn(d, d, generator=g, dtype=F64))[0]
        f1 = q * torch.logspace(-3.5, 0, d, dtype=F64)  # eigenvalues from 1e-7 to 1
    return mu1, f1, mu2, f2


def inputs(case: Case) -> tuple[torch.Tensor, ...]:
    mu1, f1, mu2, f2 = factors(case)
    return tuple(t.to(case.dtype) for t in (mu1, f1 @ f1.T, mu2, f2 @ f2.T))


def run(frechet_distance, group: list[Case]) -> dict:
    out = {}
    for i, case in enumerate(group):
        args = inputs(case)
        out[f"case{i}"] = capture(lambda: frechet_distance(*args))  # noqa: B023 - called at once
        out[f"inputs{i}"] = args
    return out


@probe
def diagonal(frechet_distance, seed):
    return run(frechet_distance, cases(seed)["diagonal"])


@probe
def full(frechet_distance, seed):
    return run(frechet_distance, cases(seed)["full"])


@probe
def singular(frechet_distance, seed):
    return run(frechet_distance, cases(seed)["singular"])


@probe
def float32(frechet_distance, seed):
    return run(frechet_distance, cases(seed)["float32"])


@probe
def device(frechet_distance, seed):
    args = inputs(Case("full", 4, (4, 4), F32, seed + 40))
    return run_on_device(lambda move: frechet_distance(*(move(a) for a in args)))
