"""Hidden checks of exercise c21, flow_log_prob(flow, x).

The flow handed to the student's function is elementwise, z = a x + b + c tanh(x), rebuilt
here from the run's seed with the exact values the student's copy holds. For an affine flow
(c = 0) x is itself Gaussian, N(-b/a, 1/a^2), so log p(x) comes from torch.distributions on x
directly, without z or the log-determinant: an oracle independent of the change-of-variables
formula. For the others, log N(z; 0, I) is taken from torch.distributions and the flow's own
log_det is added. A wrong result is compared with known wrong formulas on the same inputs, and
a mistake is named only when it explains every wrong case. The public check owns the result's
type, shape and dtype; the others read any result with one reading as (B,).
"""

from __future__ import annotations

import math

import pytest
import torch
from torch.distributions import Normal

from grader.check import expect
from grader.check.expect import mistake

from .probes import F32, F64, cases, inputs

HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def exact_flow(i: int, seed: int):
    """Case i's flow in float64 (holding the values of the student's copy) and x."""
    flow, x = inputs(i, seed)
    return flow.to(F64), x.to(F64)


def per_sample(values: torch.Tensor) -> torch.Tensor:
    return values.flatten(1).sum(dim=1)


def oracle(i: int, seed: int) -> torch.Tensor:
    """log p(x), (B,) in float64: from x's own Gaussian for the affine case, else base + log_det."""
    flow, x = exact_flow(i, seed)
    with torch.no_grad():
        if cases(seed)[i][2]:
            return per_sample(Normal(-flow.b / flow.a, 1 / flow.a).log_prob(x))
        z, log_det = flow(x)
        return per_sample(Normal(0.0, 1.0).log_prob(z)) + log_det


def known_mistakes(i: int, seed: int) -> dict[str, torch.Tensor]:
    """What each known wrong formula returns for case i."""
    flow, x = exact_flow(i, seed)
    with torch.no_grad():
        z, log_det = flow(x)
    base = per_sample(-0.5 * z ** 2) - HALF_LOG_2PI * z[0].numel()
    right = base + log_det
    return {
        "dropped-constant": per_sample(-0.5 * z ** 2) + log_det,
        "returned-nll": -right,
        "logdet-sign": base - log_det,
        "no-logdet": base,
        "mean-over-dims": right / z[0].numel(),
        "density-of-x": per_sample(-0.5 * x ** 2) - HALF_LOG_2PI * x[0].numel() + log_det,
        "constant-once": per_sample(-0.5 * z ** 2) - HALF_LOG_2PI + log_det,
        "missing-half": per_sample(-z ** 2) - HALF_LOG_2PI * z[0].numel() + log_det,
    }


def tolerance(dtype) -> dict[str, float]:
    return {"rtol": 1e-5, "atol": 1e-4} if dtype == F32 else {"rtol": 1e-9, "atol": 1e-9}


def describe(i: int, seed: int) -> str:
    shape, dtype, affine = cases(seed)[i]
    return f"x of shape {shape} ({str(dtype)[6:]}){' and an affine flow' if affine else ''}"


def check_values(out: dict, indices, seed: int) -> None:
    wrong = []
    for i in indices:
        shape, dtype, _ = cases(seed)[i]
        got = expect.judgeable(expect.returned(out[f"case{i}"]), f"one value per sample, shape ({shape[0]},)",
                               shape=(shape[0],))
        want = oracle(i, seed)
        if not expect.close(got, want, **tolerance(dtype)):
            wrong.append((got, want, known_mistakes(i, seed), describe(i, seed)))
    if wrong:
        got, want, _, what = wrong[0]
        mistake(expect.explained_by([(g, known) for g, _, known, _ in wrong], rtol=1e-4, atol=1e-3),
                f"log p(x) for {what}: {expect.differ(got, want)}")


@pytest.mark.public
@pytest.mark.points(1)
def test_returns_one_value_per_sample(flat, image, seed):
    """returns a tensor of shape (B,) in x's dtype, for (B, D) and (B, C, H, W) inputs"""
    for i in range(len(cases(seed))):
        shape, dtype, _ = cases(seed)[i]
        value, what = expect.returned((flat if i < 3 else image)[f"case{i}"]), f"log p(x) for x of shape {shape}"
        if value is None:
            mistake("no-return", f"{what}: your function returned None; end it with `return` and the log-likelihoods")
        data = getattr(value, "data", None)
        if shape[0] > 1 and getattr(value, "shape", None) == () and data is not None:
            right = oracle(i, seed)
            reduced = expect.first_match(data.to(F64), {"mean": right.mean(), "sum": right.sum()}, 1e-4, 1e-3)
            if reduced:
                mistake("batch-reduced", f"{what} is one number, the {reduced} over the batch of the per-sample "
                        f"log-likelihoods: return all {shape[0]} of them, shape ({shape[0]},)")
        expect.tensor(value, what, shape=(shape[0],), dtype=str(dtype)[6:])


@pytest.mark.points(2)
def test_value_for_an_affine_flow(flat, seed):
    """an affine flow, (B, D) input: log p(x) equals the density of x's own Gaussian"""
    check_values(flat, (0,), seed)


@pytest.mark.points(2)
def test_value_for_flat_inputs(flat, seed):
    """a nonlinear flow, (B, D) inputs (batch 1 too): log N(z; 0, I) + log_det"""
    check_values(flat, (1, 2), seed)


@pytest.mark.points(2)
def test_value_for_image_inputs(image, seed):
    """(B, C, H, W) inputs: log N(z; 0, I) summed over C, H and W, plus log_det"""
    check_values(image, (3, 4), seed)


@pytest.mark.public
@pytest.mark.points(1)
def test_leaves_x_unchanged(flat, seed):
    """leaves x unchanged"""
    for i in (0, 1, 2):
        expect.judgeable(expect.returned(flat[f"case{i}"]), "a tensor")  # no points for code that returns nothing
        expect.unchanged(inputs(i, seed)[1], flat[f"x{i}"], "x")


@pytest.mark.points(1)
def test_gradients_reach_x_and_the_flow(gradients, seed):
    """log p(x) is differentiable with respect to x and the flow's parameters, with the right gradients"""
    shape = cases(seed)[2][0]
    value = expect.returned(gradients)
    expect.judgeable(value, f"shape ({shape[0]},)", shape=(shape[0],))
    if not value.requires_grad or gradients["x_grad"] is None:
        mistake("detached", "your log p(x) is cut off from autograd (requires_grad is False, or no gradient reaches "
                "x): keep it a tensor computed from z and log_det, with no detach, .item() or torch.no_grad()")
    if not expect.close(value.data.to(F64).reshape(-1), oracle(2, seed), **tolerance(F64)):
        expect.not_judged("your log p(x) is not right yet (see the checks of its value); its gradients are judged once it is")
    flow, x = exact_flow(2, seed)
    x.requires_grad_()
    weight = torch.rand(shape[0], generator=torch.Generator().manual_seed(seed + 7), dtype=F64) + 0.5
    z, log_det = flow(x)
    lp = per_sample(Normal(0.0, 1.0).log_prob(z)) + log_det
    want = torch.autograd.grad((weight * lp).sum(), [x, flow.a, flow.b, flow.c])
    for name, w in zip(("x", "a", "b", "c"), want):
        got = gradients[f"{name}_grad"]
        got = torch.zeros_like(w) if got is None or got.data is None else got.data.to(F64)
        if not expect.close(got, w, rtol=1e-7, atol=1e-9):
            where = "x" if name == "x" else f"the flow's parameter {name}"
            mistake(None, f"the gradient of your log p(x) with respect to {where}: {expect.differ(got, w)}")


@pytest.mark.points(1)
def test_result_on_inputs_device(device):
    """works on the inputs' device (no tensors hard-coded to the CPU)"""
    expect.device_verdict(device, "log p(x)")
