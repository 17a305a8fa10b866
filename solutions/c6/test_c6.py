"""Hidden checks of exercise c6, optimal_discriminator(p_data, p_g).

The grader rebuilds the probes' densities on the same points and computes the expected D
exactly, as the fraction p / (p + q) of those floating-point numbers (fractions.Fraction,
rounded once), so nothing here depends on the reference solution and every correct formula
passes: p/(p+q), 1/(1+q/p), sigmoid(log p - log q), exp(log p - logaddexp(log p, log q)),
softmax of the log-densities, with or without torch.where guards.

Known wrong D's are evaluated on the same densities to name a mistake when the student's
values equal one of them (`wrong_ds`), or when they show its signature far in the tails
(`tail_signature`).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import pytest
import torch

from grader.check import expect
from grader.check.expect import Mistake
from grader.check.judge import format_exception
from grader.check.wire import TensorValue

from .probes import (BASIC_CASES, CALLS, DENSITIES_OF, F32, F64, FLOAT32_CASES, GRAD_W, GRAD_X, TAIL_CASES,
                     VALUE_CASES, Case, normal)

SOURCE = "optimal_discriminator.py"
TOLERANCE = {F64: (1e-9, 1e-12), F32: (1e-4, 1e-6)}  # (rtol, atol): loose enough for every correct formula
EPSILONS = (1e-4, 1e-6, 1e-7, 1e-8, 1e-10, 1e-12, 1e-15, 1e-20, 1e-30)  # stabilizers students add


def exact_d(p: torch.Tensor, q: torch.Tensor) -> torch.Tensor:
    """p / (p + q) of the given floating-point numbers, exactly, rounded once to float64."""
    values = []
    for a, b in zip(p.double().tolist(), q.double().tolist()):
        fa, fb = Fraction(a), Fraction(b)
        values.append(float(fa / (fa + fb)))
    return torch.tensor(values, dtype=F64)


def wrong_ds(p: torch.Tensor, q: torch.Tensor, want: torch.Tensor) -> list[tuple[str, torch.Tensor]]:
    """What each known mistake returns for these densities, in float64 (inf and nan kept).

    Where two mistakes coincide (far in the tails sigmoid(p - q) is 1/2 too) the first listed wins.
    """
    p, q = p.double(), q.double()
    s, r = p + q, p / q
    p32, q32 = p.float(), q.float()
    out = [
        ("inverted", q / s),
        ("ratio-not-normalized", r),
        ("one-minus-ratio", 1 - q / p),
        ("half-everywhere", torch.full_like(p, 0.5)),
        ("sigmoid-of-difference", torch.sigmoid(p - q)),
        ("log-d", torch.log(want)),
        ("ratio-overflow", r / (1 + r)),
        ("float-precision", (p32 / (p32 + q32)).double()),
    ]
    for eps in EPSILONS:
        out.append(("epsilon-in-denominator", p / (s + eps)))
        out.append(("clamped-densities", p.clamp(min=eps) / (p.clamp(min=eps) + q.clamp(min=eps))))
        out.append(("clamped-densities", (p + eps) / (s + 2 * eps)))
    for tiny in (torch.finfo(F64).tiny, torch.finfo(F32).tiny, torch.finfo(F64).eps, torch.finfo(F32).eps):
        out.append(("epsilon-in-denominator", p / s.clamp(min=tiny)))
    return out


def distance(got: torch.Tensor, other: torch.Tensor, rtol: float, atol: float) -> float:
    """max |got - other| / (atol + rtol |other|); equal infinities and nan against nan count as 0."""
    got, other = got.double(), other.double()
    same = (got == other) | (torch.isnan(got) & torch.isnan(other))
    gap = ((got - other).abs() / (atol + rtol * other.abs())).nan_to_num(nan=math.inf, posinf=math.inf)
    return float(torch.where(same, torch.zeros_like(gap), gap).max())


def name_mistake(case: Case, got: torch.Tensor, p: torch.Tensor, q: torch.Tensor, want: torch.Tensor) -> str | None:
    """The known mistake that explains got best: among the wrong D's that differ from the right
    one on this case, the nearest to got, if it is near enough (for float64 densities: to 1e-7)."""
    if len(case.x) < 3:  # too few points to tell a mistake from a coincidence
        return None
    rtol, atol = TOLERANCE[case.dtype]
    loose = (rtol * 100, atol * 100) if case.dtype == F64 else (rtol * 10, atol * 10)
    best, best_distance = None, 1.0
    for mistake, wrong in wrong_ds(p, q, want):
        if distance(wrong, want, rtol, atol) <= 1:
            continue  # this mistake does not show on these points
        d = distance(got, wrong, *loose)
        if d <= best_distance and (best is None or d < best_distance):
            best, best_distance = mistake, d
    return best or tail_signature(got, p, q, want)


def tail_signature(got: torch.Tensor, p: torch.Tensor, q: torch.Tensor, want: torch.Tensor) -> str | None:
    """Stabilizers of any size leave a signature where both densities are tiny and D is not."""
    tiny = (torch.maximum(p, q).double() < 1e-30) & (want > 0.01) & (want < 0.99)
    g = got.double()
    if not tiny.any() or not torch.isfinite(g).all():
        return None
    g, w = g[tiny], want[tiny]
    if ((g >= 0) & (g < 0.01 * w)).all():
        return "epsilon-in-denominator"
    if ((g - 0.5).abs() < 0.01).all():
        return "clamped-densities"
    return None


def pair(got: float, want: float) -> tuple[str, str]:
    """got and want printed with as many digits as it takes to tell them apart."""
    for digits in (6, 9, 12, 17):
        a, b = f"{got:.{digits}g}", f"{want:.{digits}g}"
        if a != b:
            break
    return a, b


def point(case: Case, i: int) -> str:
    v = case.x[i]
    return "(" + ", ".join(f"{c:g}" for c in v) + ")" if isinstance(v, tuple) else f"{v:g}"


def raised(error: dict[str, Any], what: str) -> Mistake:
    """A Mistake for an exception the student's code raised, naming the mistakes it reveals."""
    message = f"{what} raised " + format_exception(error, SOURCE)
    text = str(error.get("message", ""))
    mistake = None
    if "'function'" in text:
        mistake = "not-a-function"
    elif "converted to Python scalars" in text or "cannot be converted to Scalar" in text:
        mistake = "scalar-only"
    elif "numpy() on Tensor that requires grad" in text:
        mistake = "gradient-blocked"
    return Mistake(mistake, message)


def not_a_function(observed: dict[str, Any]) -> Mistake | None:
    """A Mistake when the student's function did not return a callable D."""
    if "construct_error" in observed:
        return raised(observed["construct_error"], "optimal_discriminator(p_data, p_g)")
    if "returned" in observed:
        return Mistake("not-a-function", f"optimal_discriminator(p_data, p_g) returned {expect.kind_of(observed['returned'])}, "
                    "not a function: it should return a function D that the caller then calls on points, "
                    "D = optimal_discriminator(p_data, p_g); d = D(x)")
    return None


def result_of(observed: dict[str, Any], case: Case, what: str) -> torch.Tensor:
    """The tensor D(x) returned, after checking it is one, of the densities' shape and dtype."""
    fail = not_a_function(observed)
    if fail:
        raise fail
    if "error" in observed:
        raise raised(observed["error"], what)
    value = observed.get("result")
    x = case.points()
    shape, dtype = (x.shape[0],), str(case.dtype).removeprefix("torch.")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise Mistake("scalar-only", f"{what} returned the Python number {value!r}, not a tensor: D must return a tensor "
                   f"with one value per point (shape {shape})")
    if not isinstance(value, TensorValue):
        raise Mistake(None, f"{what} should return a tensor, but returned {expect.kind_of(value)}")
    if tuple(value.shape) != shape:
        raise Mistake(None, f"{what} returned a tensor of shape {tuple(value.shape)}, expected {shape}: one value "
                   f"per point, the shape of the densities p_data(x) and p_g(x)")
    if value.dtype != dtype:
        mistake = "float-precision" if dtype == "float64" and value.dtype == "float32" else None
        raise Mistake(mistake, f"{what} returned {value.dtype} values for {dtype} densities: keep the densities' dtype")
    if value.data is None:
        raise Mistake(None, f"{what} returned a {value.device} tensor that carries no values")
    return value.data


EXPLAIN = {
    "epsilon-in-denominator": "a stabilizer added to the denominator swamps densities this small",
    "clamped-densities": "densities this small were raised to a floor, so they look equal and D comes out 1/2",
    "float-precision": "in float32 densities this small round to 0, and 0/0 = nan",
    "ratio-overflow": "where p_g = 0 the ratio p_data/p_g is inf, and inf/inf = nan",
}


def judge_case(case: Case, observed: dict[str, Any], what: str | None = None) -> None:
    """Fail unless D returned p / (p + q) of the case's densities, to the dtype's tolerance."""
    got = result_of(observed, case, what or f"D(x) for {case.label}")
    p, q = case.densities()
    want = exact_d(p, q)
    rtol, atol = TOLERANCE[case.dtype]
    g = got.double()
    excess = ((g - want).abs() / (atol + rtol * want.abs())).nan_to_num(nan=math.inf, posinf=math.inf)
    if bool((excess <= 1).all()):
        return
    i = int(torch.argmax(excess))
    mistake = name_mistake(case, got, p, q, want)
    shown, expected = pair(float(g[i]), float(want[i]))
    message = (f"{case.label}: D(x) at x = {point(case, i)}, where p_data = {p[i]:.4g} and p_g = {q[i]:.4g}, "
               f"returned {shown}; expected p_data/(p_data + p_g) = {expected}")
    if torch.isnan(g[i]):
        message += " (D must never be nan where p_data + p_g > 0)"
    if mistake == "ratio-overflow" or (mistake in EXPLAIN and float(torch.maximum(p[i], q[i])) < 1e-30):
        message += f": {EXPLAIN[mistake]}"
    raise Mistake(mistake, message)


@pytest.mark.public
@pytest.mark.points(1)
def test_returns_a_function(basics):
    """returns a function D (a callable), not a value"""
    fail = not_a_function(basics)
    if fail:
        raise fail
    if not basics.get("callable"):
        raise Mistake("not-a-function", "optimal_discriminator(p_data, p_g) did not return a callable")


@pytest.mark.public
@pytest.mark.points(1)
def test_d_of_batch_has_batch_shape_and_dtype(basics):
    """D(x) is a tensor with one value per point, in the densities' dtype (batch 1, 2-D points, float32/64)"""
    for name, case in BASIC_CASES.items():
        got = result_of(basics[name], case, f"D(x) for {case.label}")
        if torch.isnan(got).any():
            raise Mistake(None, f"D(x) for {case.label} contains nan: {expect.preview(got, 7)}")


@pytest.mark.points(2)
def test_matches_p_data_over_sum(values):
    """D(x) = p_data(x) / (p_data(x) + p_g(x)): worked example, Gaussians, 2-D points, zero densities"""
    for name, case in VALUE_CASES.items():
        judge_case(case, values[name])


@pytest.mark.points(2)
def test_exact_far_in_the_tails(tails):
    """exact where the float64 densities are tiny (1e-100 down to subnormal 1e-311), never nan"""
    for name, case in TAIL_CASES.items():
        judge_case(case, tails[name])


@pytest.mark.points(1)
def test_exact_for_tiny_float32_densities(tails):
    """float32 densities (down to 1e-37) give float32 results, exact to float32 precision"""
    for name, case in FLOAT32_CASES.items():
        judge_case(case, tails[name])


@pytest.mark.points(1)
def test_evaluates_densities_on_every_call(calls):
    """D evaluates p_data and p_g on each call's points (called repeatedly, on new points, two D's at once)"""
    fail = not_a_function(calls)
    if fail:
        raise fail
    earlier = []  # (what, returned values) of the calls so far
    for key, which, x, what in CALLS:
        case = Case(f"{what} with x = {list(x)}", *DENSITIES_OF[which], x)
        value = calls[key].get("result")
        got = value.data if isinstance(value, TensorValue) and value.data is not None else None
        want = exact_d(*case.densities())
        if got is not None and not expect.close(got, want, 1e-9, 1e-12):
            for before_what, before in earlier:
                if before.shape == got.shape and torch.equal(before, got):
                    raise Mistake("evaluated-once", f"{what} with x = {list(x)} returned {expect.preview(got, 9)}, the very values "
                               f"that {before_what} returned; expected {expect.preview(want, 9)}: D must "
                               "evaluate p_data and p_g on the points it is given, every time it is called")
        judge_case(case, calls[key], case.label)
        earlier.append((f"{what} with x = {list(x)}", got))


@pytest.mark.points(1)
def test_gradients_flow_through_d(gradients):
    """gradients of D(x) reach x and the parameters of p_g (nothing detached)"""
    fail = not_a_function(gradients)
    if fail:
        raise fail
    case = Case("p_data = N(3, 1), p_g = N(mu_g, 1) with mu_g = 5 a tensor that requires grad",
                normal(3), normal(5.0), GRAD_X)
    if "error" in gradients:
        raise raised(gradients["error"], "D(x) for points x that require grad")
    value = gradients.get("result")
    if isinstance(value, TensorValue) and not value.requires_grad:
        raise Mistake("gradient-blocked", "D(x) for points x that require grad does not require grad: D is cut off from the autograd "
                   "graph, so no gradient reaches x or the generator's parameters")
    d = result_of(gradients, case, "D(x) for points x that require grad")
    x, w = torch.tensor(GRAD_X, dtype=F64), torch.tensor(GRAD_W, dtype=F64)
    exact = torch.sigmoid(8 - 2 * x)  # log p_data - log p_g = 8 - 2x for N(3, 1) against N(5, 1)
    if not expect.close(d, exact, 1e-4, 1e-7):  # small errors in the values are the other checks' business
        raise Mistake(None, f"{case.label}: D(x) at x = {list(GRAD_X)} returned {expect.preview(d, 8)}, "
                   f"expected {expect.preview(exact, 8)}; the gradients can only be right once the values are")
    slope = exact * (1 - exact)
    for grad, want, name in ((gradients.get("x_grad"), w * slope * -2, "x"),
                             (gradients.get("mu_grad"), (w * slope * (5 - x)).sum(), "mu_g (a parameter of p_g)")):
        if not isinstance(grad, TensorValue) or grad.data is None:
            raise Mistake("gradient-blocked", f"no gradient of D(x) reaches {name}: don't detach, don't use torch.no_grad, .item(), "
                       "numpy or torch.tensor(...) on the densities")
        if grad.data.shape != want.shape:
            raise Mistake(None, f"the gradient with respect to {name} has shape {tuple(grad.data.shape)}, "
                       f"expected {tuple(want.shape)}")
        expect.expect_close(grad.data, want, f"the gradient of sum(w * D(x)) with respect to {name}",
                            rtol=1e-4, atol=1e-7)


@pytest.mark.points(1)
def test_result_on_densities_device(device):
    """works on the densities' device (no tensors hard-coded to the CPU)"""
    expect.device_verdict(device, "D(x)")
