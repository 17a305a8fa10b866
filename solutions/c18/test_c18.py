"""Hidden checks of exercise c18, frechet_distance(mu1, sigma1, mu2, sigma2).

The distance is deterministic; its oracle is not the formula. Every covariance is built as
F F^T from a factor F (d x r) the grader keeps, and Tr (S1 S2)^(1/2) is then the nuclear norm of
F1^T F2 (the sum of its singular values): another route, right for any ranks. Diagonal and
commuting covariances are checked against the closed form sum (sqrt(l1) - sqrt(l2))^2, where an
elementwise square root and Tr(S1^(1/2) S2^(1/2)) are right too; full, non-commuting ones (where
both are wrong), rank-deficient and near-singular ones against the factor route. When wrong,
results are compared with known wrong formulas on the same inputs; a mistake is named only when
its formula gives the student's result in every wrong case. A singular product's square root is
sensitive to rounding (an eigenvalue of 1e-16 * ||S|| has a root of 1e-8 * ||S||^(1/2)), so
errors are measured against the scale ||mu1 - mu2||^2 + Tr S1 + Tr S2, with tolerances set from
correct implementations (eigh, SVD, eigvals as torchmetrics does, a torch port of pytorch-fid):
at most 1e-8 of the scale in float64, 4e-5 in float32 at full rank and 1e-3 in float32 at low rank
for d up to 64 (25 seeds), against 1e-6, 4e-4 and 5e-3 here. Every known wrong formula is off by
more than 1.5e-3 of the scale on these inputs (40 seeds), so each is caught in float64 and at full
rank in float32. A known formula explains a wrong result when it comes as close to it as a right
result must come to the answer (the case's own tolerance): named mistakes land within 0.21 of that
(300 seeds), and sqrt(Tr S1 S2), which no formula describes, is named nothing in 1,500 seeds (a
shared looser match named it product-of-sqrts in 15 of 1,000).
"""

from __future__ import annotations

import pytest
import torch

from grader.check import expect
from grader.check.expect import mistake

from .probes import F32, F64, Case, cases, factors, inputs

def tolerance(case: Case) -> float:
    """The error allowed, as a fraction of the scale ||mu1 - mu2||^2 + Tr S1 + Tr S2."""
    if case.dtype == F64:
        return 1e-6
    return 4e-4 if case.ranks == (case.d, case.d) else 5e-3
NAN, INF = -123456.75, 654321.25


def oracle(case: Case) -> tuple[torch.Tensor, torch.Tensor]:
    """(the distance, its scale) from the factors: Tr (S1 S2)^(1/2) = ||F1^T F2||_* (the closed form
    sum sqrt(l1 l2) for shared eigenvectors)."""
    mu1, f1, mu2, f2 = factors(case)
    if case.kind in ("diagonal", "commuting"):
        trace_root = (f1.norm(dim=0) * f2.norm(dim=0)).sum()  # f = q diag(sqrt(l)): sqrt(l1 l2) per axis
    else:
        trace_root = torch.linalg.svdvals(f1.T @ f2).sum()
    scale = ((mu1 - mu2) ** 2).sum() + (f1 ** 2).sum() + (f2 ** 2).sum()
    return scale - 2 * trace_root, scale


def psd_sqrt(s: torch.Tensor) -> torch.Tensor:
    w, v = torch.linalg.eigh(s)
    return (v * w.clamp(min=0).sqrt()) @ v.T


def known(case: Case) -> dict:
    """The distance each known wrong formula gives on the case's inputs (float64)."""
    mu1, s1, mu2, s2 = (t.to(F64) for t in inputs(case))
    right, _ = oracle(case)
    mean2, traces = ((mu1 - mu2) ** 2).sum(), s1.trace() + s2.trace()
    trace_root = (traces + mean2 - right) / 2
    product = s1 @ s2
    lower = torch.linalg.eigvalsh(product)
    return {
        "elementwise-sqrt": tuple(mean2 + traces - 2 * t for t in (
            product.diagonal().sqrt().sum(), (s1 * s2).diagonal().sqrt().sum(), (s1.sqrt() @ s2.sqrt()).trace())),
        "product-of-sqrts": mean2 + traces - 2 * (psd_sqrt(s1) @ psd_sqrt(s2)).trace(),
        "missing-factor-2": mean2 + traces - trace_root,
        "mean-norm-not-squared": (mu1 - mu2).norm() + traces - 2 * trace_root,
        "square-root-of-distance": right.clamp(min=0).sqrt(),
        "eigvalsh-on-product": tuple(mean2 + traces - 2 * t for t in (
            lower.clamp(min=0).sqrt().sum(), lower.abs().sqrt().sum())),
        "negative-eigenvalues": torch.tensor(float("nan"), dtype=F64),
    }


def finite(x: torch.Tensor) -> torch.Tensor:
    return torch.nan_to_num(x.detach().to(F64), nan=NAN, posinf=INF, neginf=-INF)


def judge(out: dict, group: list[Case]) -> None:
    """Fail on the first wrong distance; name the mistake that explains every wrong one."""
    wrong = []
    for i, case in enumerate(group):
        raw = expect.judgeable(expect.returned(out[f"case{i}"]), "one real number (a 0-dim tensor)", shape=())
        want, scale = oracle(case)
        if not expect.close(finite(raw), want, rtol=0, atol=tolerance(case) * float(scale)):
            candidates = {k: tuple(finite(x) for x in v) if isinstance(v, tuple) else finite(v)
                          for k, v in known(case).items()}
            wrong.append((finite(raw), candidates, tolerance(case) * float(scale),
                          f"for {case.describe()}: got {float(raw):.8g}, expected {float(want):.8g} (allowed error "
                          f"{tolerance(case) * float(scale):.2g}, {tolerance(case):g} of ||mu1 - mu2||^2 + Tr S1 + Tr S2)"))
    if wrong:
        # a known formula explains a wrong result as closely as a right result must match the answer
        named = expect.explained_by([(g, c) for g, c, _, _ in wrong], rtol=0, atol=[a for _, _, a, _ in wrong])
        mistake(named, wrong[0][3])


@pytest.mark.public
@pytest.mark.points(1)
def test_returns_a_real_scalar_of_the_inputs_dtype(diagonal, float32, seed):
    """returns a real, finite 0-dim tensor in the inputs' dtype (float32 and float64)"""
    groups = cases(seed)
    for out, group in ((diagonal, groups["diagonal"]), (float32, groups["float32"][:1])):
        for i, case in enumerate(group):
            value, what = expect.returned(out[f"case{i}"]), f"the distance for {case.describe()}"
            if str(getattr(value, "dtype", "")).startswith("complex"):
                mistake("complex-result", f"{what} is a {value.dtype} tensor: the square roots' imaginary parts "
                        "(zero up to rounding) came along")
            expect.finite_number(value, what, str(case.dtype)[6:])


@pytest.mark.points(1)
def test_leaves_inputs_unchanged(full, seed):
    """leaves mu1, sigma1, mu2 and sigma2 unchanged"""
    for i, case in enumerate(cases(seed)["full"]):
        expect.judgeable(expect.returned(full[f"case{i}"]), "a tensor")  # no points for code that returns nothing
        for name, before, after in zip(("mu1", "sigma1", "mu2", "sigma2"), inputs(case), full[f"inputs{i}"]):
            expect.unchanged(before, after, name)


@pytest.mark.points(2)
def test_diagonal_and_commuting_covariances(diagonal, seed):
    """diagonal covariances, and full ones with the same eigenvectors: sum (sqrt(l1) - sqrt(l2))^2 + ||mu1 - mu2||^2"""
    judge(diagonal, cases(seed)["diagonal"])


@pytest.mark.points(2)
def test_full_covariances(full, seed):
    """full covariances that do not commute: Tr (S1 S2)^(1/2) is not Tr(S1^(1/2) S2^(1/2))"""
    judge(full, cases(seed)["full"])


@pytest.mark.points(2)
def test_singular_covariances(singular, seed):
    """rank-deficient covariances (rank 1 and about d/2) and near-singular ones, float64"""
    judge(singular, cases(seed)["singular"])


@pytest.mark.points(1)
def test_float32(float32, seed):
    """float32 covariances, full and rank-deficient, d up to 64"""
    judge(float32, cases(seed)["float32"])


@pytest.mark.points(1)
def test_result_on_inputs_device(device):
    """works on the inputs' device (no tensors hard-coded to the CPU)"""
    expect.device_verdict(device, "the distance")
